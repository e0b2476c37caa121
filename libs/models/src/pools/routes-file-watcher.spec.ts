import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoutesFileWatcher } from './routes-file-watcher';

describe(RoutesFileWatcher.name, () => {
  let folder: string;
  let watcher: RoutesFileWatcher | undefined;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'aigw-watch-'))));
  afterEach(() => {
    watcher?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const changes = (path: string) => {
    let wake: () => void;
    const next = new Promise<void>((resolve) => (wake = resolve));
    watcher = new RoutesFileWatcher(
      path,
      () => wake(),
      (error) => {
        throw error;
      },
    );
    watcher.start();
    return next;
  };

  it('tells when the file is written', async () => {
    const path = join(folder, 'routes.yaml');
    writeFileSync(path, 'a');
    const changed = changes(path);
    writeFileSync(path, 'b');
    await changed;
  });

  it('tells when a Kubernetes ConfigMap swaps its ..data symlink under the file', async () => {
    // The kubelet's layout: routes.yaml -> ..data/routes.yaml, ..data -> ..<timestamp>/, swapped by a rename.
    mkdirSync(join(folder, '..2026_01'));
    writeFileSync(join(folder, '..2026_01', 'routes.yaml'), 'a');
    symlinkSync('..2026_01', join(folder, '..data'));
    symlinkSync('..data/routes.yaml', join(folder, 'routes.yaml'));
    const changed = changes(join(folder, 'routes.yaml'));
    mkdirSync(join(folder, '..2026_02'));
    writeFileSync(join(folder, '..2026_02', 'routes.yaml'), 'b');
    symlinkSync('..2026_02', join(folder, '..data_tmp'));
    renameSync(join(folder, '..data_tmp'), join(folder, '..data'));
    await changed;
  });
});
