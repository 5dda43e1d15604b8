{{/*
Names and labels, after bitnami/common (common.names.*, common.labels.*). Every template here takes the
including chart's root context, so .Chart, .Release and .Values are the service chart's.
*/}}

{{/* The chart name, or nameOverride; the app.kubernetes.io/name label and the container name. */}}
{{- define "lib.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The name of every object: fullnameOverride, else "<release>-<name>" unless the release name already
contains the name (so `helm install scoring charts/scoring` gives "scoring", not "scoring-scoring").
Truncated to 63 characters because some Kubernetes name fields are limited to a DNS label.
*/}}
{{- define "lib.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<chart>-<version>" for the helm.sh/chart label. */}}
{{- define "lib.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels for every object's metadata. */}}
{{- define "lib.labels.standard" -}}
{{ include "lib.labels.matchLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: rtk-dmp
{{- with .Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
helm.sh/chart: {{ include "lib.chart" . }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Selector labels: a stable subset of the standard labels. Deployment selectors are immutable, so these
must never include anything that changes between releases (version, chart).
*/}}
{{- define "lib.labels.matchLabels" -}}
app.kubernetes.io/name: {{ include "lib.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The ServiceAccount the pods run as. */}}
{{- define "lib.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lib.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* "<repository>:<tag>", the tag defaulting to the chart's appVersion (as Online Boutique's chart does). */}}
{{- define "lib.image" -}}
{{- printf "%s:%s" .Values.image.repository (toString (default .Chart.AppVersion .Values.image.tag)) -}}
{{- end -}}

{{/*
A Kubernetes memory quantity ("512Mi", "1Gi", "1.5G", "268435456") in MiB, as an integer.
Usage: {{ include "lib.memoryMiB" "512Mi" }}
*/}}
{{- define "lib.memoryMiB" -}}
{{- $q := toString . -}}
{{- $num := regexFind "^[0-9]+(\\.[0-9]+)?" $q -}}
{{- $unit := trimPrefix $num $q -}}
{{- $perUnit := dict "" (divf 1 1048576) "k" (divf 1000 1048576) "Ki" (divf 1 1024) "M" (divf 1000000 1048576) "Mi" 1 "G" (divf 1000000000 1048576) "Gi" 1024 "T" (divf 1000000000000 1048576) "Ti" 1048576 -}}
{{- if or (not $num) (not (hasKey $perUnit $unit)) -}}
{{- fail (printf "lib.memoryMiB: cannot read the memory quantity %q (use e.g. 512Mi or 1Gi)" $q) -}}
{{- end -}}
{{- mulf (float64 $num) (get $perUnit $unit) | floor | int -}}
{{- end -}}

{{/*
NODE_OPTIONS for the container: V8's old-space limit at nodeOptions.heapPercent (75) of the memory
limit, so Node collects garbage before the kernel's OOM killer steps in; the rest covers code, stacks,
buffers and native memory (onnxruntime allocates outside the V8 heap).
*/}}
{{- define "lib.nodeOptions" -}}
{{- $limit := required "resources.limits.memory is required: NODE_OPTIONS=--max-old-space-size is derived from it" (dig "limits" "memory" "" .Values.resources) -}}
{{- $heap := divf (mulf (include "lib.memoryMiB" $limit | float64) .Values.nodeOptions.heapPercent) 100 | floor | int -}}
{{- printf "--max-old-space-size=%d" $heap -}}
{{- end -}}

{{/*
Renders a template and, when `merge` is non-empty, deep-merges it into the result: the nats chart's
escape hatch, so users can set any field without forking the chart. Maps merge key by key; a list in
`merge` replaces the whole list. (The nats chart's JSON `patch` is left out: it needs a JSON Patch
implementation in templates.) Without a merge the template's own layout is kept.
Usage: {{ include "lib.render" (dict "tpl" "lib.tpl.service" "merge" .Values.service.merge "ctx" .) }}
*/}}
{{- define "lib.render" -}}
{{- $out := include .tpl .ctx -}}
{{- if .merge -}}
{{- $obj := fromYaml $out -}}
{{- if hasKey $obj "Error" -}}
{{- fail (printf "lib.render: %s did not render to a YAML map: %s" .tpl (get $obj "Error")) -}}
{{- end -}}
{{- $out = mergeOverwrite $obj (deepCopy .merge) | toYaml -}}
{{- end -}}
{{- $out -}}
{{- end -}}

{{/* The service's NATS user: nats.user, else the chart's name (the users charts/deps/nats-users-values.yaml makes). */}}
{{- define "lib.natsUser" -}}
{{- .Values.nats.user | default .Chart.Name -}}
{{- end -}}

{{/* The Secret holding the pods' TLS files: tls.existingSecret, else <fullname>-tls. */}}
{{- define "lib.tlsSecret" -}}
{{- .Values.tls.existingSecret | default (printf "%s-tls" (include "lib.fullname" .)) -}}
{{- end -}}
