import { defineModelProvider } from '@gitlab-ai-gateway/provider-api';
import { TgiProvider } from './tgi.provider';

export { TgiProvider } from './tgi.provider';

/** `model_metadata.provider: "tgi"` (or `model_identifier: "tgi/<model>"`) with the TGI server as endpoint. */
export default defineModelProvider({
  names: ['tgi', 'text-generation-inference'],
  create: ({ http }) => new TgiProvider(http),
});
