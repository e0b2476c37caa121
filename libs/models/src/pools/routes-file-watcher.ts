import { FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Changes settle for this long before the file is read again: editors and ConfigMap swaps write in steps. */
const SETTLE_MS = 100;

/**
 * Calls `changed` when the file may have changed. It watches the file's folder rather than the file: a
 * Kubernetes ConfigMap replaces the `..data` symlink the file points through, which a watch on the file misses.
 */
export class RoutesFileWatcher {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly changed: () => void,
    private readonly failed: (error: Error) => void,
  ) {}

  start(): void {
    const file = basename(this.path);
    this.watcher = watch(dirname(this.path), (_event, name) => {
      if (name !== null && name !== file && !name.startsWith('..')) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(this.changed, SETTLE_MS);
    });
    // The folder removed or unreadable: reloading stops, the routes in force stay.
    this.watcher.on('error', (error) => {
      this.stop();
      this.failed(error);
    });
    this.watcher.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}
