import { readFileSync } from 'node:fs';

/** A JSON document given on the command line as itself (`'{"a": 1}'`) or as the file holding it. */
export function jsonArgument(argument: string): string {
  return argument.trimStart().startsWith('{') ? argument : readFileSync(argument, 'utf8');
}
