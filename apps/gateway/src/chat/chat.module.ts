import { Module } from '@nestjs/common';
import { ModelRequestsModule } from '../model-requests/model-requests.module';
import { PromptsModule } from '../prompts/prompts.module';
import { StreamingModule } from '../streaming/streaming.module';
import { ChatAgentController } from './chat-agent.controller';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';
import { ReactAgentService } from './react-agent.service';

@Module({
  imports: [ModelRequestsModule, PromptsModule, StreamingModule],
  controllers: [ChatController, ChatAgentController],
  providers: [ChatService, ReactAgentService],
})
export class ChatModule {}
