/**
 * Who a document is for. Operator operations (behind the admin key or the cron secret) are
 * not part of the public API: /docs and /api/openapi.json leave them out, and the operator
 * document (/api/openapi.operator.json, admin key only) keeps everything.
 */
const OPERATOR_SCHEMES = ['admin', 'cron'];

type Doc = Readonly<Record<string, any>>;

function isOperatorOperation(op: { security?: Array<Record<string, string[]>> }): boolean {
  return (op.security ?? []).some((s) => Object.keys(s).some((name) => OPERATOR_SCHEMES.includes(name)));
}

/** The document without operator operations, their security schemes and their now-empty tags. */
export function publicDocument(doc: Doc): Record<string, any> {
  const paths: Record<string, any> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const kept = Object.fromEntries(Object.entries(item as Record<string, any>).filter(([, op]) => !isOperatorOperation(op)));
    if (Object.keys(kept).some((key) => key !== 'parameters')) paths[path] = kept;
  }
  const usedTags = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op: any) => op.tags ?? [])));
  const schemes = Object.fromEntries(
    Object.entries(doc.components?.securitySchemes ?? {}).filter(([name]) => !OPERATOR_SCHEMES.includes(name)),
  );
  return {
    ...doc,
    paths,
    ...(doc.tags && { tags: doc.tags.filter((tag: { name: string }) => usedTags.has(tag.name)) }),
    components: { ...doc.components, securitySchemes: schemes },
  };
}
