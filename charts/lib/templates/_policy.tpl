{{/*
NetworkPolicy and KEDA ScaledObject behind lib.service, each off by default (networkPolicy.enabled,
keda.enabled).
*/}}

{{/*
NetworkPolicyPeers from one ingress block of networkPolicy.ingress ({allowSameNamespace, namespaces, from}):
every pod of the release namespace, the pods of the named namespaces (by the kubernetes.io/metadata.name
label the API server sets on every namespace), then any peers given as they are. Renders a YAML list, or
nothing when the block allows no one.
*/}}
{{- define "lib.networkPolicy.peers" -}}
{{- if .allowSameNamespace }}
- podSelector: {}
{{- end }}
{{- with .namespaces }}
- namespaceSelector:
    matchExpressions:
      - key: kubernetes.io/metadata.name
        operator: In
        values:
          {{- toYaml . | nindent 10 }}
{{- end }}
{{- with .from }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
NetworkPolicy for the service's pods. Ingress: only the gRPC port (and event-intake's HTTP port) and the
metrics port, each from its own peers (networkPolicy.ingress.grpc / .http / .metrics); a port whose block
allows no one gets no rule, so nothing reaches it. The ports are the container's, because a policy sees
traffic after the Service has translated it. Kubelet probes come from the node and are allowed by the
common CNIs whatever the policy says.

Egress is left open unless networkPolicy.egress.enabled: the services reach NATS, Redis, the OTLP collector
and DNS, event-intake (delivery's status events) and, for delivery, webhook gateways anywhere on the
internet. Where those live and how their pods are labelled differs per cluster, and a policy that guesses
wrong takes the service down, so restricting egress is opt-in: egress.allowDns (port 53 to anywhere, for
kube-dns or a node-local cache), egress.allowSameNamespace (NATS and Redis installed next to the services,
as the Tiltfile does) and egress.to (NetworkPolicyEgressRule objects for the rest).
*/}}
{{- define "lib.tpl.networkPolicy" -}}
{{- $np := .Values.networkPolicy -}}
{{- $rules := list (dict "port" .Values.containerPorts.grpc "peers" $np.ingress.grpc) -}}
{{- with .Values.containerPorts.http -}}
{{- $rules = append $rules (dict "port" . "peers" ($np.ingress.http | default $np.ingress.grpc)) -}}
{{- end -}}
{{- $rules = append $rules (dict "port" .Values.containerPorts.metrics "peers" $np.ingress.metrics) -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "lib.labels.matchLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    {{- if $np.egress.enabled }}
    - Egress
    {{- end }}
  {{- $ingress := list }}
  {{- range $rules }}
  {{- $peers := include "lib.networkPolicy.peers" .peers | fromYamlArray }}
  {{- if $peers }}
  {{- $ingress = append $ingress (dict "from" $peers "ports" (list (dict "port" .port "protocol" "TCP"))) }}
  {{- end }}
  {{- end }}
  {{- if $ingress }}
  ingress:
    {{- toYaml $ingress | nindent 4 }}
  {{- else }}
  # No port allows anyone: all ingress is denied.
  ingress: []
  {{- end }}
  {{- if $np.egress.enabled }}
  egress:
    {{- if $np.egress.allowDns }}
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- end }}
    {{- if $np.egress.allowSameNamespace }}
    - to:
        - podSelector: {}
    {{- end }}
    {{- with $np.egress.to }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
{{- end -}}

{{/* Whether the chart has a keda block and it is on (only the JetStream consumers' charts have one). */}}
{{- define "lib.keda.enabled" -}}
{{- if and .Values.keda .Values.keda.enabled }}true{{ end -}}
{{- end -}}

{{/*
KEDA ScaledObject (keda.sh/v1alpha1) for a JetStream consumer: KEDA's nats-jetstream scaler reads the
consumer's lag from the NATS monitoring endpoint (/jsz) and scales the Deployment so that each replica has
about keda.lagThreshold messages to work through. KEDA counts num_pending + num_ack_pending: messages
not yet delivered plus those in hand (up to the service's in-flight limit per replica, and for delivery
also offers held back until their send time), so keep lagThreshold above the per-replica in-flight limit.
keda.cpuUtilizationPercentage adds a CPU trigger: the services also serve RPCs, whose load shows as CPU,
not lag.

KEDA creates and owns a HorizontalPodAutoscaler for the Deployment (keda-hpa-<name>). A second HPA on the
same Deployment would fight it, each setting replicas to its own answer on every sync, so lib.service
does not render the chart's HPA while keda.enabled (autoscaling.* is then unused), and the Deployment
leaves replicas to KEDA.

A partitioned stream (keda.partitions, EVENTS for the feature store) has one consumer per partition: one
trigger each, at lagThreshold / partitions, since the HPA follows the trigger that asks for the most pods.

In a NATS cluster KEDA asks the consumer's leader directly, at <server name>.<monitoring host>, so the
endpoint must be the headless Service whose per-pod names resolve (the nats chart's nats-headless).
*/}}
{{- define "lib.tpl.scaledObject" -}}
{{- $k := .Values.keda -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ include "lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "lib.fullname" . }}
  minReplicaCount: {{ $k.minReplicas }}
  maxReplicaCount: {{ $k.maxReplicas }}
  pollingInterval: {{ $k.pollingInterval }}
  cooldownPeriod: {{ $k.cooldownPeriod }}
  triggers:
    {{- $endpoint := default (printf "nats-headless.%s.svc.cluster.local:8222" .Release.Namespace) $k.natsServerMonitoringEndpoint }}
    {{- $consumers := list $k.consumer }}
    {{- $threshold := $k.lagThreshold | int64 }}
    {{- $activation := $k.activationLagThreshold | int64 }}
    {{- if $k.partitions }}
    {{- /* One consumer per partition (<consumer>-p0, -p1, …): the HPA follows the busiest, so each aims at its share. */}}
    {{- $consumers = list }}
    {{- range $p := until ($k.partitions | int) }}
    {{- $consumers = append $consumers (printf "%s-p%d" $k.consumer $p) }}
    {{- end }}
    {{- $threshold = max 1 (div $threshold ($k.partitions | int64)) }}
    {{- end }}
    {{- range $consumers }}
    - type: nats-jetstream
      metadata:
        natsServerMonitoringEndpoint: {{ $endpoint | quote }}
        account: {{ $k.account | quote }}
        stream: {{ $k.stream | quote }}
        consumer: {{ . | quote }}
        lagThreshold: {{ $threshold | toString | quote }}
        activationLagThreshold: {{ $activation | toString | quote }}
        useHttps: {{ $k.useHttps | toString | quote }}
    {{- end }}
    {{- with $k.cpuUtilizationPercentage }}
    - type: cpu
      metricType: Utilization
      metadata:
        value: {{ . | int64 | toString | quote }}
    {{- end }}
{{- end -}}
