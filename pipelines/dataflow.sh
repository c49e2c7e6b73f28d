#!/usr/bin/env bash
# Runs the job on Google Cloud Dataflow. Builds the jar with the Dataflow runner (-Pdataflow)
# unless SKIP_BUILD=1, then submits it and waits for the job to end.
#
#   PROJECT=my-project REGION=europe-west1 BUCKET=gs://my-bucket pipelines/dataflow.sh [options]
#
# Input, weights and output must be on Cloud Storage (defaults below, under $BUCKET); copy the
# sample corpus there first:  gsutil cp sample-data/corpus/*.jsonl.gz $BUCKET/corpus/
# Credentials: gcloud auth application-default login (or a service account key in
# GOOGLE_APPLICATION_CREDENTIALS). Any Dataflow option may follow: --workerMachineType,
# --maxNumWorkers, --numWorkers, --serviceAccount, --network, --subnetwork, ...
set -euo pipefail
source "$(dirname "$0")/args.sh" "$@"
: "${PROJECT:?set PROJECT to the Google Cloud project}"
: "${REGION:?set REGION, e.g. europe-west1}"
: "${BUCKET:?set BUCKET, e.g. gs://my-bucket}"
# clean: the shade plugin would otherwise wrap the jar of another profile.
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$root" && mvn -B -q -ntp -Pdataflow clean package -DskipTests)
default input "$BUCKET/corpus/*.jsonl.gz"
default output "$BUCKET/out/$(date -u +%Y%m%d-%H%M%S)"
default heads "2"
default tempLocation "$BUCKET/temp"
default stagingLocation "$BUCKET/staging"
exec java "${java_opts[@]}" -jar "$jar" --runner=DataflowRunner \
  --project="$PROJECT" --region="$REGION" "${args[@]}"
