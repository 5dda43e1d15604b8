{{/*
Monitoring objects behind lib.service, each off by default and toggled under metrics.*: a ServiceMonitor
(metrics.serviceMonitor), a PrometheusRule (metrics.prometheusRule) and a Grafana dashboard in a ConfigMap
(metrics.grafanaDashboard). ServiceMonitor and PrometheusRule are Prometheus Operator kinds
(monitoring.coreos.com/v1): install the operator's CRDs (e.g. kube-prometheus-stack) before turning them on.
*/}}

{{/*
PromQL label matchers that pick this release's series: metrics.selector, or the labels a ServiceMonitor
gives them (Prometheus Operator sets job to the Service's name and adds namespace).
*/}}
{{- define "lib.metrics.selector" -}}
{{- default (printf "namespace=%q,job=%q" .Release.Namespace (include "lib.fullname" .)) .Values.metrics.selector -}}
{{- end -}}

{{/*
The selector plus a matcher that leaves out grpc.health.v1.Health (the kubelet's probes, every few
seconds) and grpc.reflection.*: RPC rates, errors and latencies are about the service's own API.
*/}}
{{- define "lib.metrics.rpcSelector" -}}
{{- printf "%s,grpc_service!~%q" (include "lib.metrics.selector" .) "grpc[.](health|reflection)[.].*" -}}
{{- end -}}

{{/*
ServiceMonitor for the Service's metrics port (needs metrics.enabled, which adds that port). The selector is
the Service's own matchLabels, limited to the release namespace.
*/}}
{{- define "lib.tpl.serviceMonitor" -}}
{{- $sm := .Values.metrics.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "lib.labels.matchLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  endpoints:
    - port: metrics
      path: /metrics
      scheme: http
      {{- with $sm.interval }}
      interval: {{ . }}
      {{- end }}
      {{- with $sm.scrapeTimeout }}
      scrapeTimeout: {{ . }}
      {{- end }}
      {{- with $sm.relabelings }}
      relabelings:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $sm.metricRelabelings }}
      metricRelabelings:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/*
PrometheusRule. Two alerts every service gets, per gRPC method, on the RED metrics libs/grpc records
(grpc_server_handled_total, grpc_server_handling_seconds; health and reflection left out):
  - GrpcServerErrorRate: the share of a method's RPCs ending with a code not in errorRate.okCodes
    (grpc-js names: OK, NOT_FOUND, ...) stays above errorRate.threshold;
  - GrpcServerLatencyP99: a method's p99 stays above latency.thresholdSeconds (latency.excludeMethods
    leaves out streams and long-running admin calls, whose duration is not a latency).
Then the chart's own rules (metrics.prometheusRule.rules) in a second group: every "$selector" in an expr
becomes the release's label matchers (lib.metrics.selector), and each rule gets a service label unless it
has one. Rules about the NATS exporter's series (consumer lag) select on stream and consumer names instead.
*/}}
{{- define "lib.tpl.prometheusRule" -}}
{{- $pr := .Values.metrics.prometheusRule -}}
{{- $name := include "lib.name" . -}}
{{- $selector := include "lib.metrics.selector" . -}}
{{- $rpc := include "lib.metrics.rpcSelector" . -}}
{{- $by := "namespace, job, grpc_service, grpc_method" -}}
{{- $common := list -}}
{{- with $pr.errorRate -}}
{{- if .enabled -}}
{{- $failed := printf "%s,grpc_code!~%q" $rpc (join "|" .okCodes) -}}
{{- $expr := printf "sum by (%s) (rate(grpc_server_handled_total{%s}[5m]))\n  / sum by (%s) (rate(grpc_server_handled_total{%s}[5m]))\n  > %v" $by $failed $by $rpc .threshold -}}
{{- $rule := dict "alert" "GrpcServerErrorRate" "expr" $expr "for" .for "labels" (dict "severity" .severity "service" $name) "annotations" (dict "summary" (printf "%s: too many gRPC errors" $name) "description" (printf "{{ $value | humanizePercentage }} of {{ $labels.grpc_service }}/{{ $labels.grpc_method }} calls in {{ $labels.namespace }} ended with a code other than %s over 5 minutes (threshold %v)." (join ", " .okCodes) .threshold)) -}}
{{- $common = append $common $rule -}}
{{- end -}}
{{- end -}}
{{- with $pr.latency -}}
{{- if .enabled -}}
{{- $matchers := $rpc -}}
{{- if .excludeMethods -}}
{{- $matchers = printf "%s,grpc_method!~%q" $rpc (join "|" .excludeMethods) -}}
{{- end -}}
{{- $expr := printf "histogram_quantile(0.99, sum by (%s, le) (rate(grpc_server_handling_seconds_bucket{%s}[5m])))\n  > %v" $by $matchers .thresholdSeconds -}}
{{- $rule := dict "alert" "GrpcServerLatencyP99" "expr" $expr "for" .for "labels" (dict "severity" .severity "service" $name) "annotations" (dict "summary" (printf "%s: gRPC p99 latency over %vs" $name .thresholdSeconds) "description" (printf "p99 of {{ $labels.grpc_service }}/{{ $labels.grpc_method }} in {{ $labels.namespace }} is {{ $value | humanizeDuration }} over 5 minutes (threshold %vs)." .thresholdSeconds)) -}}
{{- $common = append $common $rule -}}
{{- end -}}
{{- end -}}
{{- $own := list -}}
{{- range $pr.rules -}}
{{- $rule := deepCopy . -}}
{{- if hasKey $rule "expr" -}}
{{- $_ := set $rule "expr" (replace "$selector" $selector (toString $rule.expr)) -}}
{{- end -}}
{{- if hasKey $rule "alert" -}}
{{- $_ := set $rule "labels" (merge (dict) ($rule.labels | default dict) (dict "service" $name)) -}}
{{- end -}}
{{- $own = append $own $rule -}}
{{- end -}}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
    {{- with $pr.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    {{- if $common }}
    - name: {{ include "lib.fullname" . }}.grpc
      rules:
        {{- toYaml $common | nindent 8 }}
    {{- end }}
    {{- if $own }}
    - name: {{ include "lib.fullname" . }}.{{ $name }}
      rules:
        {{- toYaml $own | nindent 8 }}
    {{- end }}
    {{- if not (or $common $own) }} []{{ end }}
{{- end -}}

{{/*
Grafana dashboard as JSON in a ConfigMap labelled grafana_dashboard: "1", the label Grafana's dashboard
sidecar (kube-prometheus-stack, the grafana chart's sidecar.dashboards) loads dashboards from. One small
dashboard per release: requests, errors and p99 per method, then the service's key panels
(metrics.grafanaDashboard.panels). A "datasource" variable picks the Prometheus; series are picked with
lib.metrics.selector, so the dashboard shows this release only. The uid is derived from namespace and
name, so a re-render updates the same dashboard.
*/}}
{{- define "lib.tpl.grafanaDashboard" -}}
{{- $gd := .Values.metrics.grafanaDashboard -}}
{{- $fullname := include "lib.fullname" . -}}
{{- $selector := include "lib.metrics.selector" . -}}
{{- $rpc := include "lib.metrics.rpcSelector" . -}}
{{- $specs := list
  (dict "title" "Requests per second, by method" "unit" "reqps" "legend" "{{grpc_method}}"
    "expr" (printf "sum by (grpc_method) (rate(grpc_server_handled_total{%s}[$__rate_interval]))" $rpc))
  (dict "title" "Errors per second, by code (not OK)" "unit" "reqps" "legend" "{{grpc_code}}"
    "expr" (printf "sum by (grpc_code) (rate(grpc_server_handled_total{%s,grpc_code!=\"OK\"}[$__rate_interval]))" $rpc))
  (dict "title" "p99 latency, by method" "unit" "s" "legend" "{{grpc_method}}"
    "expr" (printf "histogram_quantile(0.99, sum by (grpc_method, le) (rate(grpc_server_handling_seconds_bucket{%s}[$__rate_interval])))" $rpc))
-}}
{{- $specs = concat $specs ($gd.panels | default list) -}}
{{- $panels := list -}}
{{- range $i, $spec := $specs -}}
{{- $target := dict "refId" "A" "datasource" (dict "type" "prometheus" "uid" "${datasource}") "expr" (replace "$selector" $selector (toString $spec.expr)) "legendFormat" (default "__auto" $spec.legend) -}}
{{- $panel := dict
  "id" (add1 $i)
  "type" "timeseries"
  "title" $spec.title
  "datasource" (dict "type" "prometheus" "uid" "${datasource}")
  "gridPos" (dict "h" 8 "w" 12 "x" (mul (mod $i 2) 12) "y" (mul (div $i 2) 8))
  "fieldConfig" (dict "defaults" (dict "unit" (default "short" $spec.unit)) "overrides" list)
  "options" (dict "legend" (dict "displayMode" "list" "placement" "bottom" "showLegend" true) "tooltip" (dict "mode" "multi" "sort" "desc"))
  "targets" (list $target)
-}}
{{- $panels = append $panels $panel -}}
{{- end -}}
{{- $datasource := dict "name" "datasource" "label" "Data source" "type" "datasource" "query" "prometheus" "current" dict "hide" 0 -}}
{{- $dashboard := dict
  "uid" (printf "dmp-%s" (printf "%s/%s" .Release.Namespace $fullname | sha256sum | trunc 12))
  "title" (printf "RTK-DMP / %s (%s)" $fullname .Release.Namespace)
  "tags" (list "rtk-dmp" (include "lib.name" .))
  "timezone" "browser"
  "schemaVersion" 39
  "version" 1
  "editable" true
  "refresh" "30s"
  "time" (dict "from" "now-3h" "to" "now")
  "templating" (dict "list" (list $datasource))
  "panels" $panels
-}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ printf "%s-dashboard" $fullname | trunc 63 | trimSuffix "-" }}
  namespace: {{ default .Release.Namespace $gd.namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
    grafana_dashboard: "1"
    {{- with $gd.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $gd.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
data:
  {{ $fullname }}.json: |-
    {{- $dashboard | toPrettyJson | nindent 4 }}
{{- end -}}
