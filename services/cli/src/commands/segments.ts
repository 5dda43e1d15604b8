import {
  callUnary,
  type GetSegmentsResponse__Output,
  type ListMembersResponse__Output,
  type ListSegmentsResponse__Output,
  type PutSegmentResponse__Output,
} from '@dmp/grpc';

import { featureStoreClient } from '../clients';
import { jsonArgument } from '../json-argument';
import { printTable } from '../table';

const say = (text: string): void => void process.stdout.write(`${text}\n`);

/** `dmp segments put|list|of`, through the feature store (which keeps memberships as profiles change). */
export async function segmentsCommand(args: {
  address?: string | undefined;
  tenant: string;
  action: 'put' | 'list' | 'of' | 'members';
  /** put: the document or its file; of: the subscriber. */
  target?: string;
}): Promise<void> {
  const client = featureStoreClient(args.address);
  try {
    const tenantId = args.tenant;
    if (args.action === 'put') {
      const { segmentJson } = await callUnary<PutSegmentResponse__Output>((done) =>
        client.PutSegment({ tenantId, segmentJson: jsonArgument(args.target!) }, done)
      );
      return say(JSON.stringify(JSON.parse(segmentJson), null, 2));
    }
    if (args.action === 'members') {
      let excluded = 0;
      for await (const page of client.ListMembers({ tenantId, segmentId: args.target!, pageSize: 1_000 })) {
        const { subjectIds, excludedWithoutConsent } = page as ListMembersResponse__Output;
        excluded += excludedWithoutConsent;
        if (subjectIds.length > 0) say(subjectIds.join('\n'));
      }
      if (excluded > 0) process.stderr.write(`${excluded} members left out: they withdrew ads-targeting consent\n`);
      return;
    }
    if (args.action === 'of') {
      const { segmentIds } = await callUnary<GetSegmentsResponse__Output>((done) =>
        client.GetSegments({ tenantId, subjectId: args.target! }, done)
      );
      return say(segmentIds.length ? segmentIds.join('\n') : `${args.target} is in no segment`);
    }
    const { segments } = await callUnary<ListSegmentsResponse__Output>((done) =>
      client.ListSegments({ tenantId }, done)
    );
    if (segments.length === 0) return say(`tenant ${tenantId} has no segments`);
    printTable(
      ['segment', 'version', 'members', 'condition'],
      segments.map((s) => {
        const doc = JSON.parse(s.segmentJson) as { id: string; version: number; condition: string };
        return [doc.id, String(doc.version), s.size, doc.condition];
      })
    );
  } finally {
    client.close();
  }
}
