# Multi-stage build after the dotnet-docker samples: restore in its own layer, publish, run as non-root on 8080.
# No "# syntax=" line: nothing here needs a BuildKit frontend, so the build works where no registry but the base
# images' is reachable, with the classic builder and BuildKit alike.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source

# Restore first, from the project files and the root build settings only, so the layer is cached until they change.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Domain/Domain.csproj src/Domain/
COPY src/Api/Api.csproj src/Api/
# Publishing compiles the runtime and the service together for linux-x64, self-contained (src/Api/Api.csproj), so the
# restore fetches that runtime's packs and the compiler too.
RUN dotnet restore src/Api/Api.csproj -r linux-x64 -p:PublishReadyToRun=true -p:SelfContained=true

COPY src/ src/
RUN dotnet publish src/Api/Api.csproj --no-restore -c Release -r linux-x64 -o /app
# The multi-core JIT's start-up list (src/Api/Hosting/MulticoreJit.cs): the service started once as the image starts it
# writes what its start compiled, which every replica's start then compiles on its other core. /app is not writable
# by the app user, so replicas read the list and leave it as recorded here.
COPY scripts/record-jitlist.sh scripts/jit-profile-env.sh scripts/
RUN scripts/record-jitlist.sh /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app .

ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production
# The JIT's recorded profile of the request path (scripts/jit-profile.sh, published as JitProfile.txt), read at start
# so that a new replica runs at full speed within its first seconds of traffic rather than after about 8: the same
# settings as scripts/jit-profile-env.sh, which says what each does. The runtime reads them from the environment only.
ENV DOTNET_TieredPGO=0 \
    DOTNET_ReadPGOData=1 \
    DOTNET_PGODataPath=/app/JitProfile.txt \
    DOTNET_TC_CallCountingDelayMs=0 \
    DOTNET_TC_CallCountThreshold=1000
EXPOSE 8080
# The aspnet image ships an unprivileged "app" user (UID 1654) for exactly this.
USER $APP_UID
# Liveness: the app probes itself (exit 0 on a 2xx), in exec form, so no shell, curl or wget is needed (the image's
# /bin/sh is dash and has neither /dev/tcp nor either tool). Liveness rather than readiness because Docker acts on
# this status (Swarm replaces an unhealthy task): a replica that is merely busy (/health/ready 503) must not be
# replaced. The first check runs one interval after the start. The probe, a process of its own every 5 s, skips
# reading the profile: it makes one request.
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 \
    CMD ["env", "-u", "DOTNET_ReadPGOData", "dotnet", "ConvService.Api.dll", "--probe", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["dotnet", "ConvService.Api.dll"]
