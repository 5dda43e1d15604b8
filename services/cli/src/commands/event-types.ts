import { readFileSync } from 'node:fs';

import {
  callUnary,
  type EventType__Output,
  type ListEventTypesResponse__Output,
  type PutEventTypeResponse__Output,
} from '@dmp/grpc';

import { intakeClient } from '../clients';
import { printTable } from '../table';

/** `dmp event-types list`: the built-in types, then the tenant's own (IntakeService/ListEventTypes). */
export async function listEventTypes(args: { address?: string; tenant: string }): Promise<void> {
  const client = intakeClient(args.address);
  try {
    const response = await callUnary<ListEventTypesResponse__Output>((done) =>
      client.ListEventTypes({ tenantId: args.tenant }, done)
    );
    printEventTypes(response.eventTypes);
  } finally {
    client.close();
  }
}

/** `dmp event-types put`: registers or replaces (as a whole) one of the tenant's own types. */
export async function putEventType(args: {
  address?: string;
  tenant: string;
  name: string;
  description?: string;
  schema?: string;
  requiresItems: boolean;
}): Promise<void> {
  const propertiesSchemaJson = args.schema === undefined ? '' : readSchema(args.schema);
  const client = intakeClient(args.address);
  try {
    const response = await callUnary<PutEventTypeResponse__Output>((done) =>
      client.PutEventType(
        {
          eventType: {
            tenantId: args.tenant,
            name: args.name,
            description: args.description ?? '',
            propertiesSchemaJson,
            requiresItems: args.requiresItems,
          },
        },
        done
      )
    );
    printEventTypes(response.eventType ? [response.eventType] : []);
  } finally {
    client.close();
  }
}

/** --schema is inline JSON when it starts with "{", otherwise a file holding it. */
function readSchema(value: string): string {
  const inline = value.trimStart().startsWith('{');
  let text = value;
  if (!inline) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new Error(`--schema: cannot read ${value} (${(error as Error).message}); give a file or inline JSON`);
    }
  }
  try {
    return JSON.stringify(JSON.parse(text));
  } catch (error) {
    throw new Error(`--schema: ${inline ? 'the JSON' : value} does not parse: ${(error as Error).message}`);
  }
}

function printEventTypes(types: EventType__Output[]): void {
  printTable(
    ['type', 'owner', 'items', 'properties (* required)', 'description'],
    types.map((t) => [
      t.name,
      t.builtIn ? 'built-in' : t.tenantId,
      t.requiresItems ? 'required' : '',
      summarizeSchema(t.propertiesSchemaJson),
      t.description,
    ])
  );
}

/** One line per schema: `price:number>=0 query*:string kind:a|b`, enough to write a valid event. */
function summarizeSchema(json: string): string {
  let schema: {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
    additionalProperties?: unknown;
  };
  try {
    schema = JSON.parse(json) as typeof schema;
  } catch {
    return '(unreadable schema)';
  }
  const required = new Set(schema.required ?? []);
  const parts = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { enum: values, type, minimum, maximum } = property;
    let shape = Array.isArray(values)
      ? values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('|')
      : Array.isArray(type)
        ? type.join('|')
        : typeof type === 'string'
          ? type
          : 'any';
    if (typeof minimum === 'number') shape += `>=${minimum}`;
    if (typeof maximum === 'number') shape += `<=${maximum}`;
    return `${name}${required.has(name) ? '*' : ''}:${shape}`;
  });
  if (schema.additionalProperties === false) parts.push('(no others)');
  return parts.join(' ');
}
