/**
 * The MIME tree as postal-mime parsed it. postal-mime's public result is flat (text, html, attachments),
 * so this reads the parser's node tree, which it keeps as `root` (marked @internal, present at run time).
 * Tests only: if a postal-mime upgrade renames it, `postalMimeTree` throws rather than returning nothing.
 */
import PostalMime, {type Email} from 'postal-mime';

type MimeNodeLike = {
	contentType: {parsed: {value: string; params: Record<string, string>}};
	contentTransferEncoding: {encoding: string};
	contentDisposition: {parsed: {value: string; params: Record<string, string>}};
	childNodes: MimeNodeLike[];
};

/** One MIME entity as postal-mime sees it; same field names as the Python helper's parts where they overlap. */
export type PostalPart = {
	type: string;
	params: Record<string, string>;
	encoding: string | null;
	disposition: string | null;
	filename: string | null;
	children?: PostalPart[];
};

function isMimeNode(value: unknown): value is MimeNodeLike {
	return typeof value === 'object' && value !== null && 'contentType' in value && 'childNodes' in value && Array.isArray(value.childNodes);
}

function toPart(node: MimeNodeLike): PostalPart {
	const params = Object.fromEntries(Object.entries(node.contentType.parsed.params).filter(([name]) => name !== 'boundary'));
	const part: PostalPart = {
		type: node.contentType.parsed.value,
		params,
		encoding: node.contentTransferEncoding.encoding === '' ? null : node.contentTransferEncoding.encoding,
		disposition: node.contentDisposition.parsed.value === '' ? null : node.contentDisposition.parsed.value,
		filename: node.contentDisposition.parsed.params.filename ?? node.contentType.parsed.params.name ?? null,
	};
	if (node.contentType.parsed.value.startsWith('multipart/')) {
		part.children = node.childNodes.map(child => toPart(child));
	}

	return part;
}

/** Parses `raw` with postal-mime and returns both its tree and its public (flat) result. */
export async function postalMimeTree(raw: string | Uint8Array): Promise<{tree: PostalPart; email: Email}> {
	const parser = new PostalMime({attachmentEncoding: 'arraybuffer'});
	const email = await parser.parse(raw);
	const root: unknown = (parser as unknown as {root: unknown}).root;
	if (!isMimeNode(root)) {
		throw new Error('postal-mime no longer exposes its node tree as `root`; update tests/helpers/postal-mime-tree.ts');
	}

	return {tree: toPart(root), email};
}
