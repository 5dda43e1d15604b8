import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import { demoEvents, videoEvents, type DemoOptions } from '@dmp/demo-data';

/** What each event type weighs in the CSV's value column. */
const VALUE = { view: 1, add_to_cart: 2, purchase: 3, play_start: 1, play_complete: 2 } as const;

/**
 * Writes a seeded synthetic log as interactions, `user,item,timestamp_ms,value`, the input of `dmp eval
 * replay`, at any scale (events are generated and written as a stream). The shop (popularity skew, category
 * loyalty, carts, repeat purchases; value 1 view, 2 add to cart, 3 purchase) or the streaming service (series
 * binged in order, genre loyalty, dropped episodes; value 1 play started, 2 play completed).
 */
export async function generateInteractions(
  out: string,
  options: DemoOptions,
  kind: 'shop' | 'video' = 'shop'
): Promise<number> {
  const file = createWriteStream(out);
  let lines = 0;
  const write = async (text: string): Promise<void> => {
    if (!file.write(text)) await once(file, 'drain');
  };
  await write('user,item,timestamp,value\n');
  let chunk = '';
  const events =
    kind === 'shop'
      ? demoEvents(options)
      : videoEvents({
          seed: options.seed,
          viewers: options.users,
          series: Math.max(1, Math.round(options.items / 20)),
          films: Math.round(options.items / 2),
          genres: options.categories,
          events: options.events,
          endMs: options.endMs,
        });
  for (const event of events) {
    for (const item of event.itemIds) {
      chunk += `${event.userId},${item},${event.occurredAtMs},${VALUE[event.type]}\n`;
      lines++;
    }
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  file.end();
  await once(file, 'finish');
  return lines;
}
