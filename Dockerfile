# campaign-sim in a slim image, for the Kubernetes recipe (deploy/kubernetes/).
#
#   docker build -t campaign-sim:latest .
#   docker run --rm -v "$PWD/Reports:/work/Reports" campaign-sim:latest run /opt/campaign-sim/Scenarios/quickstart.yaml
#
# Stage 1 builds a release binary with the Swift standard library and Foundation linked
# statically; stage 2 is Debian slim with nothing but jemalloc (the allocator campaign-sim
# links) added: the binary also needs libstdc++ and libgcc_s, which the slim image has. No Docker engine runs where this project is developed, so the build itself is
# checked by scripts/static-build.sh instead: same flags, then `ldd` shows no Swift runtime
# library and the binary runs from an empty directory.
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so editing a source file does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
RUN swift build -c release --product campaign-sim --static-swift-stdlib \
 && cp "$(swift build -c release --product campaign-sim --static-swift-stdlib --show-bin-path)/campaign-sim" /campaign-sim

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 campaign-sim
COPY --from=build /campaign-sim /usr/local/bin/campaign-sim
COPY Scenarios /opt/campaign-sim/Scenarios
USER 1000
WORKDIR /work
ENTRYPOINT ["campaign-sim"]
CMD ["--help"]
