/**
 * Who the extension is, in the one place the build (wxt.config.ts), the relay's native-messaging installer
 * (relay/native/) and the tests read it from: the browsers only start a native host for the extensions its
 * manifest names.
 *
 * Chrome derives an extension's ID from a public key. `chromeManifestKey` goes into the Chrome build's manifest
 * `key`, so an unpacked or test build always has the ID `unpackedChromeExtensionId`, whatever folder it is loaded
 * from. (The matching private key was not kept: Chrome needs only the public half for that.) Once the extension is
 * listed in the Chrome Web Store, put the store's own public key here (Developer Dashboard → Package → "View
 * public key") and its ID in `chromeExtensionIds`: unpacked builds then have the store's ID too.
 * Firefox names extensions by `browser_specific_settings.gecko.id`, the same for a temporary and a store install.
 */

/** The native host's name: lower-case letters, digits, dots and underscores, as Chrome and Firefox require. */
export const nativeHostName = 'purelymail_invites_relay';

/** Base64 of the DER SubjectPublicKeyInfo of an RSA key: the manifest `key` of Chrome builds. */
export const chromeManifestKey = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1DvBm23wxPL3obZIm8+lqzQForiUcn7B5UMEK9NRhflqNzj/DW1rojiq2F5b5Lx0oIWTgO6y0bliVluayUggVgesz+g3+PMfxqajsl1LpY54VLj36HYs3t8Z3jty/dpJbw5GFhL2XQgG3rmXjwejUAiQ3dmim1hi15Tv8BQt/0SG3lei+B43v3JeNXFJ1ZdJhfoVeHZPWUvbAIPaL0tE6unqvOBEnP7+8gbX6FnSIRrddyn52a78hyMrldm7a7XT2vPUTwZehxVd3C9UCjSB97LanY9T5uFVamjr8Y9cadeTlHOg9m0USf4VztTVeJhkkR9YVJw1bSy6wE5Eko554QIDAQAB';

/** The ID Chrome gives a build carrying `chromeManifestKey` (a unit test derives it from the key). */
export const unpackedChromeExtensionId = 'jefegkbimhaiehamphilhpmophaoalkd';

/** Every Chrome/Chromium extension ID the native host accepts; the Chrome Web Store ID joins this list once there is one. */
export const chromeExtensionIds: readonly string[] = [unpackedChromeExtensionId];

/** Firefox's extension ID (manifest `browser_specific_settings.gecko.id`). */
export const geckoExtensionId = 'invites@purelymail-invites.example';
