# Every image, one target each: `docker buildx bake -f services/docker-bake.hcl` (all), or name targets:
# `docker buildx bake -f services/docker-bake.hcl scoring trainer`. TAG and REGISTRY set the names, e.g.
# `REGISTRY=registry.example.com/rtk TAG=1.4.0 docker buildx bake -f services/docker-bake.hcl --push`.
#
# The five services share one recipe, services/Dockerfile (build, pnpm deploy of that service alone, a
# non-root runtime); a target is the service's name and, for the two that rank, the model it ships. Five
# copies of the same 70 lines would drift apart; the targets below are what differs.

variable "REGISTRY" { default = "dmp" }
variable "TAG" { default = "dev" }

group "default" {
  targets = ["event-intake", "feature-store", "scoring", "decisioning", "delivery", "trainer"]
}

target "service" {
  context    = "."
  dockerfile = "services/Dockerfile"
  platforms  = ["linux/amd64"]
}

target "event-intake" {
  inherits = ["service"]
  args     = { SERVICE = "event-intake" }
  tags     = ["${REGISTRY}/event-intake:${TAG}"]
}

target "feature-store" {
  inherits = ["service"]
  args     = { SERVICE = "feature-store" }
  tags     = ["${REGISTRY}/feature-store:${TAG}"]
}

target "scoring" {
  inherits = ["service"]
  args     = { SERVICE = "scoring", MODEL = "demo-ranker" }
  tags     = ["${REGISTRY}/scoring:${TAG}"]
}

target "decisioning" {
  inherits = ["service"]
  args     = { SERVICE = "decisioning", MODEL = "demo-ranker" }
  tags     = ["${REGISTRY}/decisioning:${TAG}"]
}

target "delivery" {
  inherits = ["service"]
  args     = { SERVICE = "delivery" }
  tags     = ["${REGISTRY}/delivery:${TAG}"]
}

# The dmp CLI alone: the trainer image's Node part (it runs `dmp train`), from the same recipe as the services.
target "cli" {
  inherits = ["service"]
  args     = { SERVICE = "cli" }
  tags     = ["${REGISTRY}/cli:${TAG}"]
}

target "trainer" {
  context    = "."
  dockerfile = "services/trainer/Dockerfile"
  contexts   = { cli = "target:cli" }
  platforms  = ["linux/amd64"]
  tags       = ["${REGISTRY}/trainer:${TAG}"]
}
