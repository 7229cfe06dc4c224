import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WmoError, checkAdapter, type AnyAdapter, type CodeList, type DeclarationSource } from '@wmo-toolkit/core';

/**
 * An adapter from outside the repository (`--adapter PATH|PACKAGE`). The module's default export
 * is either a factory `(options: { paths: string[] }) => adapter` or an adapter object. The
 * adapter's contract and version are checked before it is used by its id.
 */
export interface ExternalAdapter {
  id: string;
  kind: AnyAdapter['kind'];
  specifier: string;
  declarations?: (paths: string[]) => DeclarationSource;
  codeList?: () => CodeList;
}

export async function loadExternalAdapter(specifier: string, cwd = process.cwd()): Promise<ExternalAdapter> {
  const local = specifier.startsWith('.') || specifier.startsWith('/') || existsSync(path.resolve(cwd, specifier));
  const target = local ? pathToFileURL(path.resolve(cwd, specifier)).href : specifier;
  let module: Record<string, unknown>;
  try {
    module = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' ? 'it cannot be found' : (error as Error).message.split('\n')[0];
    throw new WmoError(`--adapter ${specifier} cannot be loaded: ${reason}.`, { code: 'usage', cause: error });
  }
  const exported = module.default ?? module.adapter;
  if (exported === undefined) throw new WmoError(`--adapter ${specifier} is not a wmo-toolkit adapter: it has no default export.`, { code: 'adapter-contract' });
  const make = typeof exported === 'function' ? (paths: string[]) => (exported as (o: { paths: string[] }) => unknown)({ paths }) : () => exported;
  const probe = make([]) as Partial<AnyAdapter> | undefined;
  const kind = probe?.kind;
  if (kind !== 'declarations' && kind !== 'codelist' && kind !== 'clients' && kind !== 'geography') {
    throw new WmoError(`--adapter ${specifier} is not a wmo-toolkit adapter: its default export makes no object with kind declarations, clients, geography or codelist.`, { code: 'adapter-contract' });
  }
  const checked = checkAdapter(probe, kind, `--adapter ${specifier}`);
  const adapter: ExternalAdapter = { id: checked.id, kind, specifier };
  if (kind === 'declarations') adapter.declarations = (paths) => checkAdapter(make(paths), 'declarations', `--adapter ${specifier}`);
  if (kind === 'codelist') adapter.codeList = () => checkAdapter(make([]), 'codelist', `--adapter ${specifier}`);
  return adapter;
}
