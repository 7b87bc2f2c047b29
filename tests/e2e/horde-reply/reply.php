<?php
/**
 * An attendee's answer to an invitation, written by Horde's iTIP library (Debian's php-horde-itip), not by ours.
 *
 *   php reply.php ATTENDEE-EMAIL 'ATTENDEE NAME' accept|decline|tentative < request.ics > reply.eml
 *
 * Reads the invitation's iCalendar (METHOD:REQUEST) on standard input and prints the whole reply mail Horde
 * builds for it (multipart/alternative: text/plain and text/calendar; method=REPLY), as Horde's IMP webmail
 * sends it; the mail is captured by Horde's mock transport rather than sent.
 */
// Horde's classes live at Horde/Foo/Bar.php for Horde_Foo_Bar on PHP's include path (/usr/share/php on Debian).
spl_autoload_register(static function (string $class): void {
	if (str_starts_with($class, 'Horde_')) {
		require_once str_replace('_', '/', $class) . '.php';
	}
});

error_reporting(E_ALL & ~E_DEPRECATED);

[, $email, $name, $answer] = $argv + [null, null, null, null];
$types = [
	'accept' => 'Horde_Itip_Response_Type_Accept',
	'decline' => 'Horde_Itip_Response_Type_Decline',
	'tentative' => 'Horde_Itip_Response_Type_Tentative',
];
if ($email === null || $name === null || !isset($types[$answer])) {
	fwrite(STDERR, "usage: php reply.php ATTENDEE-EMAIL 'ATTENDEE NAME' accept|decline|tentative < request.ics\n");
	exit(2);
}

$ical = new Horde_Icalendar();
if (!$ical->parsevCalendar(stream_get_contents(STDIN))) {
	fwrite(STDERR, "reply.php: standard input is not an iCalendar\n");
	exit(2);
}

$vevent = null;
foreach ($ical->getComponents() as $component) {
	if ($component instanceof Horde_Icalendar_Vevent) {
		$vevent = $component;
		break;
	}
}
if ($vevent === null) {
	fwrite(STDERR, "reply.php: no VEVENT in the iCalendar\n");
	exit(2);
}

$resource = new Horde_Itip_Resource_Base($email, $name);
$itip = Horde_Itip::factory($vevent, $resource);
$type = new $types[$answer]($resource);
$options = new Horde_Itip_Response_Options_Horde('UTF-8', []);
$transport = new Horde_Mail_Transport_Mock();
$itip->sendMultipartResponse($type, $options, $transport);

$sent = $transport->sentMessages[0];
echo $sent['header_text'], $transport->sep, $transport->sep, $sent['body'];
