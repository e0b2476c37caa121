import { Module } from '@nestjs/common';
import { HttpStreamWriter } from './http-stream-writer';

@Module({
  providers: [HttpStreamWriter],
  exports: [HttpStreamWriter],
})
export class StreamingModule {}
