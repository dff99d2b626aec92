#!/bin/sh
# Regenerates src/io/proto/tensorboard_events_pb.ts from tensorboard_events.proto (run after editing the .proto).
# Needs protoc (Debian: apt-get install protobuf-compiler); the plugin is the devDependency @bufbuild/protoc-gen-es.
set -e
cd "$(dirname "$0")/.."
protoc --plugin=protoc-gen-es=node_modules/.bin/protoc-gen-es \
  --es_out=src/io/proto --es_opt=target=ts,import_extension=ts \
  --proto_path=src/io/proto tensorboard_events.proto
npx prettier --write src/io/proto/tensorboard_events_pb.ts --log-level warn
