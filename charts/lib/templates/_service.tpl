{{/*
lib.service: everything one RTK-DMP service needs. A service chart's templates/all.yaml is just
  {{ include "lib.service" . }}
Each object can be deep-merged with <key>.merge (see lib.render); optional ones have their own toggle.
*/}}
{{- define "lib.service" -}}
{{- include "lib.validate" . }}
{{- if .Values.serviceAccount.create }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.serviceAccount" "merge" .Values.serviceAccount.merge "ctx" .) }}
{{- end }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.configMap" "merge" .Values.configMap.merge "ctx" .) }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.service" "merge" .Values.service.merge "ctx" .) }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.deployment" "merge" .Values.deployment.merge "ctx" .) }}
{{- if and .Values.tls.enabled .Values.tls.certManager.enabled }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.certificate" "merge" dict "ctx" .) }}
{{- end }}
{{- if .Values.pdb.create }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.podDisruptionBudget" "merge" .Values.pdb.merge "ctx" .) }}
{{- end }}
{{- /* KEDA owns an HPA of its own for the Deployment: never render a second one (see lib.tpl.scaledObject). */}}
{{- if and .Values.autoscaling.enabled (not (include "lib.keda.enabled" .)) }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.horizontalPodAutoscaler" "merge" .Values.autoscaling.merge "ctx" .) }}
{{- end }}
{{- if include "lib.keda.enabled" . }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.scaledObject" "merge" .Values.keda.merge "ctx" .) }}
{{- end }}
{{- if .Values.networkPolicy.enabled }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.networkPolicy" "merge" .Values.networkPolicy.merge "ctx" .) }}
{{- end }}
{{- with .Values.metrics }}
{{- if .serviceMonitor.enabled }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.serviceMonitor" "merge" .serviceMonitor.merge "ctx" $) }}
{{- end }}
{{- if .prometheusRule.enabled }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.prometheusRule" "merge" .prometheusRule.merge "ctx" $) }}
{{- end }}
{{- if .grafanaDashboard.enabled }}
---
{{ include "lib.render" (dict "tpl" "lib.tpl.grafanaDashboard" "merge" .grafanaDashboard.merge "ctx" $) }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Checks across values that a JSON schema cannot express. Renders nothing. */}}
{{- define "lib.validate" -}}
{{- $shutdownMs := add (mul (int .Values.lifecycle.preStopSleepSeconds) 1000) (int (dig "SHUTDOWN_GRACE_MS" 10000 .Values.env)) -}}
{{- if le (mul (int .Values.terminationGracePeriodSeconds) 1000) $shutdownMs -}}
{{- fail (printf "terminationGracePeriodSeconds (%vs) must exceed lifecycle.preStopSleepSeconds + env.SHUTDOWN_GRACE_MS (%vms), or the kubelet kills pods before they drain" .Values.terminationGracePeriodSeconds $shutdownMs) -}}
{{- end -}}
{{- if and .Values.service.headless (ne .Values.service.type "ClusterIP") -}}
{{- fail "service.headless needs service.type=ClusterIP" -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.enabled) -}}
{{- fail "metrics.serviceMonitor.enabled needs metrics.enabled (the Service's metrics port it scrapes)" -}}
{{- end -}}
{{- end -}}
