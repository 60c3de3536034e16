{{/* The chart's name, overridable. */}}
{{- define "kubechat-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: used for every object the chart creates. */}}
{{- define "kubechat-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The Deployment's selector (immutable) and the Service's: the same single label as deploy/'s
manifests, so that switching between kubectl apply -k deploy/ and the chart keeps the Deployment.
One operator per cluster (or per watched namespace set) is the design, so no release label.
*/}}
{{- define "kubechat-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kubechat-operator.name" . }}
{{- end }}

{{- define "kubechat-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "kubechat-operator.selectorLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kubechat
{{- end }}

{{- define "kubechat-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kubechat-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kubechat-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "kubechat-operator.chatPodImage" -}}
{{- printf "%s:%s" .Values.chatPodImage.repository (default .Chart.AppVersion .Values.chatPodImage.tag) }}
{{- end }}
