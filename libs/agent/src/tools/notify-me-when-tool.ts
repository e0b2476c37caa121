import { randomUUID } from 'node:crypto';
import { defineTool, stringArg } from './tool';
import { ToolError } from './tool-error';

/** Longest delay (a day): server policy, as upstream's. */
const MAX_DELAY_MINUTES = 24 * 60;

/** RFC 3339 UTC without fractions. */
const rfc3339 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `notify_me_when` (§6.4): schedules a message back into this session through `scheduleNotification`; only
 * offered when the client has `schedule_notification` (§8), and the client may refuse.
 */
export const notifyMeWhenTool = defineTool(
  'notify_me_when',
  'Schedule a message to be delivered back into this session at a future time. The message arrives as an ' +
    'ordinary user turn, so use it to remind yourself to resume work, check on something, or continue after a ' +
    'delay. This returns immediately: carry on with other work, or end your turn if there is nothing else to do. ' +
    'Delivery happens at or after the requested time, and cannot be cancelled once scheduled.',
  {
    when: {
      type: 'object',
      description: 'When the message should be delivered.',
      properties: {
        type: { type: 'string', enum: ['timer'], default: 'timer', description: "Only 'timer' is supported." },
        delay_minutes: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_DELAY_MINUTES,
          description: `Whole minutes from now until the notification is delivered, between 1 and ${MAX_DELAY_MINUTES}.`,
        },
      },
      required: ['delay_minutes'],
    },
    message: stringArg('What to send yourself. The conversation continues, so a short reminder is enough.'),
  },
  ['when', 'message'],
  async (args, context) => {
    const when = (args.when ?? {}) as Record<string, unknown>;
    const delay = Number(when.delay_minutes);
    if ((when.type ?? 'timer') !== 'timer') throw new ToolError("when.type must be 'timer'");
    if (!Number.isInteger(delay) || delay < 1 || delay > MAX_DELAY_MINUTES) {
      throw new ToolError(`when.delay_minutes must be a whole number from 1 to ${MAX_DELAY_MINUTES}`);
    }
    const taskId = randomUUID();
    const deadline = rfc3339(new Date(Date.now() + delay * 60_000));
    const response = await context.channel.request({
      scheduleNotification: {
        task_id: taskId,
        condition: JSON.stringify({ type: 'timer', deadline }),
        message: String(args.message),
      },
    });
    const ack = response.scheduleNotificationResponse;
    if (!ack) {
      const kind = response.plainTextResponse ? 'plainTextResponse' : response.httpResponse ? 'httpResponse' : 'none';
      throw new ToolError(
        `The client did not acknowledge the notification (response type: ${kind}). Nothing is scheduled.`,
      );
    }
    if (!ack.accepted) {
      throw new ToolError(
        `The client refused to schedule the notification: ${ack.reason || 'no reason given'}. Nothing is scheduled; decide how to proceed.`,
      );
    }
    return `Notification ${taskId} scheduled. It will be delivered at or after ${ack.fires_at || deadline} (UTC).`;
  },
);
