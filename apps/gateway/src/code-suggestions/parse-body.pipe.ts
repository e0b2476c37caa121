import { PipeTransform } from '@nestjs/common';

/**
 * Body pipe for requests class-validator cannot describe on its own (tagged unions, http-api.md §2.1, §2.8).
 * The handler's parameter type must be a union or interface, so the global ValidationPipe leaves it alone.
 */
export class ParseBodyPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly parse: (body: unknown) => T) {}

  transform(body: unknown): T {
    return this.parse(body);
  }
}
