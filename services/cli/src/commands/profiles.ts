import {
  callUnary,
  type DeleteProfileResponse__Output,
  type GetProfileResponse__Output,
  type ResolveProfileResponse__Output,
} from '@dmp/grpc';

import { profilesClient } from '../clients';

const say = (text: string): void => void process.stdout.write(`${text}\n`);

/** `dmp profiles resolve|get|delete ID`, through the feature store (which keeps the identity graph). */
export async function profilesCommand(args: {
  address?: string | undefined;
  tenant: string;
  action: 'resolve' | 'get' | 'delete';
  /** Any identifier of the profile: a user id, or "anon:…", "device:…", "msisdn:<hash>", "email:<hash>". */
  identifier: string;
  reason?: string | undefined;
}): Promise<void> {
  const client = profilesClient(args.address);
  try {
    const request = { tenantId: args.tenant, identifier: args.identifier };
    if (args.action === 'resolve') {
      const { profileId, identifiers } = await callUnary<ResolveProfileResponse__Output>((done) =>
        client.ResolveProfile(request, done)
      );
      return say(`${profileId}\t${identifiers.join(' ')}`);
    }
    if (args.action === 'get') {
      const profile = await callUnary<GetProfileResponse__Output>((done) => client.GetProfile(request, done));
      return say(JSON.stringify(profile, null, 2));
    }
    const { record } = await callUnary<DeleteProfileResponse__Output>((done) =>
      client.DeleteProfile({ ...request, reason: args.reason ?? '' }, done)
    );
    return say(JSON.stringify(record, null, 2));
  } finally {
    client.close();
  }
}
