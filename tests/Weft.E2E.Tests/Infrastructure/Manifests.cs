namespace Weft.E2E.Tests.Infrastructure;

/// <summary>Small config folders that several end-to-end cases share.</summary>
internal static class Manifests
{
    /// <summary>Gateway default/gw with one HTTP listener on port 80, and HTTPRoute web sending everything to Service web:80.</summary>
    public const string GatewayWithOneRoute = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: default
        spec:
          gatewayClassName: weft
          listeners:
          - name: http
            protocol: HTTP
            port: 80
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
          namespace: default
        spec:
          parentRefs:
          - name: gw
          rules:
          - backendRefs:
            - name: web
              port: 80
        """;

    /// <summary>Gateway default/NAME of class weft with one HTTP listener on <paramref name="port"/>.</summary>
    public static string Gateway(string name, int port) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: {name}
          namespace: default
        spec:
          gatewayClassName: weft
          listeners:
          - name: http
            protocol: HTTP
            port: {port}
        """;
}
