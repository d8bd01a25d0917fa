# KubeWeb server image: the kubeweb host (API, controllers, scheduler, console).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/KubeWeb/KubeWeb.csproj -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out .
VOLUME /var/lib/kubeweb
EXPOSE 6443
ENTRYPOINT ["dotnet", "kubeweb.dll"]
CMD ["server", "--data-dir", "/var/lib/kubeweb"]
