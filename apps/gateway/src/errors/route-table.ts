/** Known route patterns, to tell "wrong method" (405) from "no such path" (404). */
export class RouteTable {
  private readonly routes: Array<{ method: string; pattern: RegExp }> = [];

  add(methods: string | string[], url: string): void {
    const pattern = new RegExp(
      `^${url
        .split('/')
        .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : escape(part)))
        .join('/')}/?$`,
    );
    for (const method of [methods].flat()) this.routes.push({ method: method.toUpperCase(), pattern });
  }

  hasOtherMethod(method: string, path: string): boolean {
    return this.routes.some((route) => route.method !== method && route.method !== 'HEAD' && route.pattern.test(path));
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
