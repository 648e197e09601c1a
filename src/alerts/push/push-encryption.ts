// One web push message made ready to send: its payload encrypted for the browser's keys (RFC 8291,
// aes128gcm, a new ECDH key pair each message, as the web-push library does it) and its headers
// (TTL, Urgency, Topic, the VAPID Authorization made once per push service). Pure, with plain
// data in and out, so that it can run on the encryption thread (push-encryption-thread.ts).
import webpush from 'web-push';

export interface EncryptionTask {
  endpoint: string;
  p256dh: string;
  auth: string;
  payload: string;
  ttlSeconds: number;
  topic: string;
  authorization: string;
}

export type Encrypted =
  | { kind: 'ready'; body: Uint8Array; headers: Record<string, string | number> }
  /** The subscription's keys cannot be encrypted for: final. */
  | { kind: 'refused'; reason: string }
  /** The message could not be made this time (the encryption thread stopped): try again later. */
  | { kind: 'later'; reason: string };

export function encryptForPush(task: EncryptionTask): Encrypted {
  try {
    const details = webpush.generateRequestDetails({ endpoint: task.endpoint, keys: { p256dh: task.p256dh, auth: task.auth } }, task.payload, {
      TTL: task.ttlSeconds,
      urgency: 'high',
      topic: task.topic,
      contentEncoding: 'aes128gcm',
      // The token is signed once per push service (push-sender.ts), not once per message.
      vapidDetails: undefined,
      headers: { Authorization: task.authorization },
    });
    return { kind: 'ready', body: details.body, headers: details.headers as Record<string, string | number> };
  } catch (error) {
    return { kind: 'refused', reason: `could not encrypt for this subscription: ${(error as Error).message}` };
  }
}
