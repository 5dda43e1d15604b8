{{/*
The Kubernetes objects behind lib.service, one template each (bitnami keeps one file per object;
here they are small enough to share a file). Each takes the service chart's root context.
*/}}

{{/* ServiceAccount. The services never call the Kubernetes API, so no token is mounted by default. */}}
{{- define "lib.tpl.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "lib.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
{{- end -}}

{{/*
ConfigMap with the container's environment (loaded with envFrom). Ports and NODE_OPTIONS are derived
from other values (HTTP_PORT only for a chart with containerPorts.http); empty env values are left out,
so the service sees them as unset.
*/}}
{{- define "lib.tpl.configMap" -}}
{{- $data := dict -}}
{{- range $key, $value := .Values.env -}}
{{- if ne (toString $value) "" -}}
{{- $_ := set $data $key (toString $value) -}}
{{- end -}}
{{- end -}}
{{- $_ := set $data "GRPC_PORT" (toString .Values.containerPorts.grpc) -}}
{{- $_ := set $data "METRICS_PORT" (toString .Values.containerPorts.metrics) -}}
{{- with .Values.containerPorts.http -}}
{{- $_ := set $data "HTTP_PORT" (toString .) -}}
{{- end -}}
{{- $_ := set $data "NODE_OPTIONS" (include "lib.nodeOptions" .) -}}
{{- if .Values.nats.existingSecret -}}
{{- $_ := set $data "NATS_USER" (include "lib.natsUser" .) -}}
{{- end -}}
{{- if .Values.tls.enabled -}}
{{- $_ := set $data "TLS_CERT_FILE" "/etc/dmp/tls/tls.crt" -}}
{{- $_ := set $data "TLS_KEY_FILE" "/etc/dmp/tls/tls.key" -}}
{{- $_ := set $data "TLS_CA_FILE" "/etc/dmp/tls/ca.crt" -}}
{{- $_ := set $data "TLS_REQUIRE_CLIENT_CERT" (toString .Values.tls.requireClientCert) -}}
{{- end -}}
{{- if not (hasKey $data "OTEL_SERVICE_NAME") -}}
{{- $_ := set $data "OTEL_SERVICE_NAME" (include "lib.name" .) -}}
{{- end -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
data:
  {{- range $key, $value := $data }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
{{- end -}}

{{/*
Service. gRPC keeps one long-lived HTTP/2 connection per client and multiplexes every call on it, and a
ClusterIP Service balances connections, not calls: each client would send all its traffic to one pod.
service.headless=true (clusterIP: None) publishes one DNS record per ready pod instead, so a grpc-js
client dialling "dns:///<name>:50051" with the round_robin policy spreads calls over all pods. grpc-js
re-resolves DNS when a connection drops, so new pods are found late unless the server sets
grpc.max_connection_age_ms. clusterIP is immutable: switching headless on or off needs the Service
deleted first. A chart with containerPorts.http (event-intake's HTTP/JSON door) also gets a port named
http (service.ports.http, by default the container's).
*/}}
{{- define "lib.tpl.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  {{- if .Values.service.headless }}
  clusterIP: None
  {{- end }}
  ports:
    - name: grpc
      port: {{ .Values.service.ports.grpc }}
      targetPort: grpc
      protocol: TCP
      appProtocol: kubernetes.io/h2c
    {{- if .Values.containerPorts.http }}
    - name: http
      port: {{ .Values.service.ports.http | default .Values.containerPorts.http }}
      targetPort: http
      protocol: TCP
      appProtocol: http
    {{- end }}
    {{- if .Values.metrics.enabled }}
    - name: metrics
      port: {{ .Values.service.ports.metrics }}
      targetPort: metrics
      protocol: TCP
      appProtocol: http
    {{- end }}
  selector:
    {{- include "lib.labels.matchLabels" . | nindent 4 }}
{{- end -}}

{{/*
Deployment. Probes follow libs/grpc's health service: readiness asks for service "" (NOT_SERVING until
dependencies are connected and models warmed, and again while draining), liveness for "liveness"
(SERVING while the process is healthy), so a lost dependency takes a pod out of the endpoints without
restarting it. The startup probe asks the liveness question too: it only has to hold liveness off while
a model loads, not wait for NATS or Redis.
*/}}
{{- define "lib.tpl.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
spec:
  {{- if not (or .Values.autoscaling.enabled (include "lib.keda.enabled" .)) }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: {{ .Values.revisionHistoryLimit }}
  {{- with .Values.updateStrategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "lib.labels.matchLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "lib.labels.standard" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # Changing the environment rolls the pods.
        checksum/config: {{ include "lib.render" (dict "tpl" "lib.tpl.configMap" "merge" .Values.configMap.merge "ctx" .) | sha256sum }}
        {{- if .Values.metrics.enabled }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ .Values.containerPorts.metrics | quote }}
        prometheus.io/path: /metrics
        {{- end }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "lib.serviceAccountName" . }}
      automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
      # No <SERVICE>_PORT=tcp://… variables from every Service in the namespace: config comes from env only.
      enableServiceLinks: false
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      topologySpreadConstraints:
        {{- if .Values.topologySpreadConstraints }}
        {{- toYaml .Values.topologySpreadConstraints | nindent 8 }}
        {{- else }}
        # Spread replicas over nodes, but still schedule on a one-node dev cluster.
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "lib.labels.matchLabels" . | nindent 14 }}
          matchLabelKeys:
            - pod-template-hash
        {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - {{ include "lib.render" (dict "tpl" "lib.tpl.container" "merge" .Values.container.merge "ctx" .) | indent 10 | trim }}
      volumes:
        # readOnlyRootFilesystem: /tmp is the only writable path.
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- if .Values.tls.enabled }}
        # Certificate, key and CA; cert-manager renews them in place and the service re-reads them every minute.
        - name: tls
          secret:
            secretName: {{ include "lib.tlsSecret" . }}
            defaultMode: 0440
        {{- end }}
{{- end -}}

{{/* The service's container (its own template so that container.merge can reach it). */}}
{{- define "lib.tpl.container" -}}
name: {{ include "lib.name" . }}
image: {{ include "lib.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
envFrom:
  - configMapRef:
      name: {{ include "lib.fullname" . }}
{{- $env := .Values.extraEnv | default list -}}
{{- if .Values.nats.existingSecret -}}
{{- /* The service's NATS password, from the Secret of NATS users (charts/deps/nats-users-values.yaml). */ -}}
{{- $env = prepend $env (dict "name" "NATS_PASSWORD" "valueFrom" (dict "secretKeyRef" (dict "name" .Values.nats.existingSecret "key" (include "lib.natsUser" .)))) -}}
{{- end -}}
{{- with $env }}
env:
  {{- toYaml . | nindent 2 }}
{{- end }}
ports:
  - name: grpc
    containerPort: {{ .Values.containerPorts.grpc }}
    protocol: TCP
  - name: metrics
    containerPort: {{ .Values.containerPorts.metrics }}
    protocol: TCP
  {{- with .Values.containerPorts.http }}
  - name: http
    containerPort: {{ . }}
    protocol: TCP
  {{- end }}
{{- /*
gRPC probes ask grpc.health.v1 on the gRPC port: "liveness" for start-up and liveness, "" for readiness. kubelet's
gRPC probe cannot speak TLS, so with tls.enabled the same questions go to GET /livez and /readyz on the metrics port.
*/}}
{{- $probe := dict "live" (dict "grpc" (dict "port" .Values.containerPorts.grpc "service" "liveness")) "ready" (dict "grpc" (dict "port" .Values.containerPorts.grpc)) -}}
{{- if .Values.tls.enabled -}}
{{- $probe = dict "live" (dict "httpGet" (dict "path" "/livez" "port" "metrics")) "ready" (dict "httpGet" (dict "path" "/readyz" "port" "metrics")) -}}
{{- end }}
{{- with .Values.startupProbe }}
{{- if .enabled }}
startupProbe:
  {{- toYaml $probe.live | nindent 2 }}
  {{- toYaml (omit . "enabled") | nindent 2 }}
{{- end }}
{{- end }}
{{- with .Values.readinessProbe }}
{{- if .enabled }}
readinessProbe:
  {{- toYaml $probe.ready | nindent 2 }}
  {{- toYaml (omit . "enabled") | nindent 2 }}
{{- end }}
{{- end }}
{{- with .Values.livenessProbe }}
{{- if .enabled }}
livenessProbe:
  {{- toYaml $probe.live | nindent 2 }}
  {{- toYaml (omit . "enabled") | nindent 2 }}
{{- end }}
{{- end }}
{{- if .Values.lifecycle.preStopSleepSeconds }}
lifecycle:
  # Keep serving while the endpoint removal reaches every kube-proxy and client, then take SIGTERM.
  # The sleep action needs Kubernetes >= 1.30 (no shell or sleep binary needed in the image).
  preStop:
    sleep:
      seconds: {{ .Values.lifecycle.preStopSleepSeconds }}
{{- end }}
resources:
  {{- toYaml .Values.resources | nindent 2 }}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  {{- if .Values.tls.enabled }}
  - name: tls
    mountPath: /etc/dmp/tls
    readOnly: true
  {{- end }}
{{- end -}}

{{/* PodDisruptionBudget: voluntary evictions (node drains) take at most pdb.maxUnavailable pods at a time. */}}
{{- define "lib.tpl.podDisruptionBudget" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" .Values.pdb.minAvailable) }}
  minAvailable: {{ .Values.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .Values.pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "lib.labels.matchLabels" . | nindent 6 }}
{{- end -}}

{{/* HorizontalPodAutoscaler on CPU (and optionally memory) utilisation of the requests. */}}
{{- define "lib.tpl.horizontalPodAutoscaler" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
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
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    {{- with .Values.autoscaling.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
    {{- with .Values.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
{{- end -}}

{{/*
cert-manager Certificate for the service's gRPC port (tls.certManager.enabled): its Service's DNS names, usable
as server and client certificate (mTLS between services), in the Secret the pods mount.
*/}}
{{- define "lib.tpl.certificate" -}}
{{- $name := include "lib.fullname" . -}}
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
spec:
  secretName: {{ include "lib.tlsSecret" . }}
  issuerRef:
    name: {{ required "tls.certManager.issuerRef.name is required with tls.certManager.enabled" .Values.tls.certManager.issuerRef.name }}
    kind: {{ .Values.tls.certManager.issuerRef.kind }}
  commonName: {{ $name }}
  dnsNames:
    - {{ $name }}
    - {{ $name }}.{{ .Release.Namespace }}
    - {{ $name }}.{{ .Release.Namespace }}.svc
    - {{ $name }}.{{ .Release.Namespace }}.svc.cluster.local
  usages:
    - server auth
    - client auth
  privateKey:
    algorithm: ECDSA
    size: 256
    rotationPolicy: Always
{{- end -}}
