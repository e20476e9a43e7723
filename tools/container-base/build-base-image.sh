#!/usr/bin/env bash
# Builds the ASP.NET Core base image the services' container images are layered on, as an OCI image layout, from
# Debian packages and this machine's .NET runtime: for where mcr.microsoft.com/dotnet/aspnet cannot be pulled (this
# build machine reaches the Debian and NuGet mirrors only). It mirrors what Microsoft's aspnet:10.0 image holds:
# Debian bookworm (minbase) with the runtime's native dependencies, the .NET and ASP.NET Core shared runtimes under
# /usr/share/dotnet, the non-root user app (uid 1654, announced by APP_UID) and ASPNETCORE_HTTP_PORTS=8080.
# A deployment that can pull from mcr uses Microsoft's image instead (docs/deploy.md, "Container images").
#
# Usage: build-base-image.sh OUTPUT_DIR   (needs mmdebstrap, run as root; writes OUTPUT_DIR/{oci-layout,index.json,blobs})
set -euo pipefail

out=${1:?usage: build-base-image.sh OUTPUT_DIR}
dotnet_root=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
runtime_version=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
[ -n "$runtime_version" ] || { echo "No ASP.NET Core runtime under $dotnet_root/shared" >&2; exit 1; }
command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing (Debian: apt-get install mmdebstrap)" >&2; exit 1; }
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The runtime's native dependencies are the ones Microsoft's runtime-deps image installs.
mmdebstrap --quiet --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="mkdir -p \"\$1/usr/share/dotnet/shared\" && cp -a '$dotnet_root/dotnet' '$dotnet_root/host' \"\$1/usr/share/dotnet/\" && cp -a '$dotnet_root/shared/Microsoft.NETCore.App' '$dotnet_root/shared/Microsoft.AspNetCore.App' \"\$1/usr/share/dotnet/shared/\" && ln -s /usr/share/dotnet/dotnet \"\$1/usr/bin/dotnet\"" \
  --customize-hook='echo "app:x:1654:1654:app:/home/app:/usr/sbin/nologin" >> "$1/etc/passwd" && echo "app:x:1654:" >> "$1/etc/group" && mkdir -p "$1/home/app" && chown 1654:1654 "$1/home/app"' \
  --customize-hook='rm -rf "$1/var/cache/apt/"* "$1/var/lib/apt/lists/"* "$1/var/log/"*' \
  bookworm "$work/rootfs.tar" "$mirror"

digest() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

mkdir -p "$out/blobs/sha256"
diff_id=$(digest "$work/rootfs.tar")
gzip -n -1 -c "$work/rootfs.tar" > "$work/layer.tar.gz"
layer=$(digest "$work/layer.tar.gz")
mv "$work/layer.tar.gz" "$out/blobs/sha256/$layer"

cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","APP_UID=1654","ASPNETCORE_HTTP_PORTS=8080","DOTNET_RUNNING_IN_CONTAINER=true","DOTNET_ROOT=/usr/share/dotnet","DOTNET_VERSION=$runtime_version","ASPNET_VERSION=$runtime_version"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created_by":"tools/container-base/build-base-image.sh: Debian bookworm minbase, .NET $runtime_version"}]}
JSON
config=$(digest "$work/config.json")
cp "$work/config.json" "$out/blobs/sha256/$config"

cat > "$work/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config","size":$(size "$work/config.json")},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$layer","size":$(size "$out/blobs/sha256/$layer")}]}
JSON
manifest=$(digest "$work/manifest.json")
cp "$work/manifest.json" "$out/blobs/sha256/$manifest"

echo '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
cat > "$out/index.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$manifest","size":$(size "$work/manifest.json"),"platform":{"architecture":"amd64","os":"linux"},"annotations":{"org.opencontainers.image.ref.name":"$runtime_version"}}]}
JSON
echo "Base image (.NET $runtime_version) in $out: manifest sha256:$manifest"
