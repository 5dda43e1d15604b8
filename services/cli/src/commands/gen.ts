import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import { demoEvents, type DemoOptions } from '@dmp/demo-data';

/** What each event type weighs in the CSV's value column. */
const VALUE = { view: 1, add_to_cart: 2, purchase: 3 } as const;

/**
 * Writes the seeded synthetic shop (popularity skew, category loyalty, carts, repeat purchases) as an
 * interaction log, `user,item,timestamp_ms,value` (value: 1 view, 2 add to cart, 3 purchase): the input of
 * `dmp eval replay`, at any scale (events are generated and written as a stream).
 */
export async function generateInteractions(out: string, options: DemoOptions): Promise<number> {
  const file = createWriteStream(out);
  let lines = 0;
  const write = async (text: string): Promise<void> => {
    if (!file.write(text)) await once(file, 'drain');
  };
  await write('user,item,timestamp,value\n');
  let chunk = '';
  for (const event of demoEvents(options)) {
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
