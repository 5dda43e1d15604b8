"""RTK-DMP from Python: send an event, ask for recommendations, ask for an offer.

Uses only the public gRPC API (stubs generated from protos/ by run.sh) and none of the platform's TypeScript.
Each answer is printed on one line as `<Call>: <the response as JSON>`. A failed call prints its gRPC status
and details on stderr and the client exits 1.
"""

import argparse
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402

from dmp.decisioning.v1 import decisioning_service_pb2 as decisioning  # noqa: E402
from dmp.decisioning.v1 import decisioning_service_pb2_grpc as decisioning_grpc  # noqa: E402
from dmp.events.v1 import event_pb2 as events  # noqa: E402
from dmp.intake.v1 import intake_service_pb2 as intake  # noqa: E402
from dmp.intake.v1 import intake_service_pb2_grpc as intake_grpc  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intake", default=os.environ.get("INTAKE_ADDR", "127.0.0.1:50051"),
                        help="event-intake's gRPC address (INTAKE_ADDR; default: dmp up's)")
    parser.add_argument("--decisioning", default=os.environ.get("DECISIONING_ADDR", "127.0.0.1:50054"),
                        help="decisioning's gRPC address (DECISIONING_ADDR; default: dmp up's)")
    parser.add_argument("--tenant", default="demo")
    parser.add_argument("--user", default="u-0001")
    parser.add_argument("--item", default="sku-0042", help="the item the user views")
    parser.add_argument("--placement", default="home-banner", help="where the offer would show (Decide)")
    parser.add_argument("-n", type=int, default=5, help="how many recommendations")
    parser.add_argument("--api-key", default=os.environ.get("DMP_API_KEY") or dev_api_key(),
                        help="sent as `authorization: Bearer <key>` (DMP_API_KEY; default: dmp up's .dmp/dev-api-key)")
    args = parser.parse_args()
    if not args.api_key:
        parser.error("no API key: set DMP_API_KEY (or run dmp up, which makes .dmp/dev-api-key)")
    auth = (("authorization", f"Bearer {args.api_key}"),)

    # Deadlines on every call: a platform that does not answer is an error, not a hang.
    deadline_s = 10
    try:
        with grpc.insecure_channel(args.intake) as intake_channel, \
                grpc.insecure_channel(args.decisioning) as decisioning_channel:
            intake_stub = intake_grpc.IntakeServiceStub(intake_channel)
            decisioning_stub = decisioning_grpc.DecisioningServiceStub(decisioning_channel)

            # A fresh id per event: sending the same id again is answered DUPLICATE and applied once.
            view = events.Event(
                event_id=f"python-{uuid.uuid4()}",
                type="view",
                identities=events.Identities(user_id=args.user),
                item_ids=[args.item],
                properties={"price": events.PropertyValue(number_value=9.5)},
            )
            show("Ingest", intake_stub.Ingest(intake.IngestRequest(tenant_id=args.tenant, events=[view]),
                                              timeout=deadline_s, metadata=auth))
            show("Recommend", decisioning_stub.Recommend(
                decisioning.RecommendRequest(tenant_id=args.tenant, user_id=args.user, n=args.n),
                timeout=deadline_s, metadata=auth))
            show("Decide", decisioning_stub.Decide(
                decisioning.DecideRequest(tenant_id=args.tenant, user_id=args.user, placement=args.placement),
                timeout=deadline_s, metadata=auth))
    except grpc.RpcError as error:
        print(f"{error.code().name}: {error.details()}", file=sys.stderr)  # type: ignore[attr-defined]
        return 1
    return 0


def dev_api_key() -> str:
    """The development key `dmp up` keeps in the repository's .dmp/ (two folders above this file)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".dmp", "dev-api-key")
    try:
        with open(path, encoding="utf-8") as file:
            return file.read().strip()
    except FileNotFoundError:
        return ""


def show(call: str, response) -> None:
    print(f"{call}: {json_format.MessageToJson(response, indent=None, preserving_proto_field_name=True)}",
          flush=True)


if __name__ == "__main__":
    sys.exit(main())
