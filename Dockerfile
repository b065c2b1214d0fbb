# syntax=docker/dockerfile:1
# Multi-stage build after the dotnet-docker samples: restore in its own layer, publish, run as non-root on 8080.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source

# Restore first, from the project files and the root build settings only, so the layer is cached until they change.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Domain/Domain.csproj src/Domain/
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Api/Api.csproj

COPY src/ src/
RUN dotnet publish src/Api/Api.csproj --no-restore -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app .

ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
# The aspnet image ships an unprivileged "app" user (UID 1654) for exactly this.
USER $APP_UID
ENTRYPOINT ["dotnet", "ConvService.Api.dll"]
