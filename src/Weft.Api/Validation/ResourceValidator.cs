using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using Weft.Api.GatewayApi;
using Weft.Api.Istio;
using Weft.Api.Model;
using Weft.Api.Yaml;

namespace Weft.Api.Validation;

/// <summary>
/// Validation beyond the schema's types: the CRDs' patterns, ranges and x-kubernetes-validations rules that users hit
/// most, with the CRD's own messages where it has one. Reports every problem (never only the first); each diagnostic
/// names the resource and the field path. <see cref="YamlCodec"/> calls it for every decoded resource and adds the
/// line of the field.
/// </summary>
public static partial class ResourceValidator
{
    public const int MaxWeight = 1_000_000;

    private static readonly string[] CoreProtocols = ["HTTP", "HTTPS", "TLS", "TCP", "UDP"];
    private static readonly string[] FilterTypes = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef", "CORS", "ExternalAuth"];
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

    public static IReadOnlyList<Diagnostic> Validate(DecodedResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var v = new Collector(resource);
        ValidateMetadata(v, resource);
        switch (resource.Object)
        {
            case Gateway g:
                ValidateGateway(v, g.Spec);
                break;
            case HttpRoute r:
                ValidateHttpRoute(v, r.Spec);
                break;
            case GrpcRoute gr:
                ValidateGrpcRoute(v, gr.Spec);
                break;
            case GatewayClass c:
                ValidateGatewayClass(v, c.Spec);
                break;
            case ReferenceGrant rg:
                ValidateReferenceGrant(v, rg.Spec);
                break;
            case V1Service s:
                ValidateService(v, s);
                break;
            case ServiceEntry se:
                ValidateServiceEntry(v, se.Spec);
                break;
            case WorkloadEntry we:
                ValidateWorkloadEntry(v, we.Spec, "spec");
                break;
            case VirtualService vs:
                ValidateVirtualService(v, vs.Spec);
                break;
        }

        return v.Diagnostics;
    }

    // ---- metadata -------------------------------------------------------------------------------------------------

    private static void ValidateMetadata(Collector v, DecodedResource resource)
    {
        var meta = resource.Object.Metadata;
        var name = meta?.Name;
        if (string.IsNullOrEmpty(name))
        {
            v.Add(DiagnosticCodes.MissingField, "metadata.name", "required field `metadata.name` is missing");
            return;
        }

        switch (resource.Kind.Kind)
        {
            case "Namespace":
                if (!IsDnsLabel(name))
                {
                    v.Invalid("metadata.name", $"`{name}` is not a valid namespace name: it must be a DNS label (RFC 1123: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit)");
                }

                break;
            case "Service":
                if (name.Length > 63 || !Dns1035Label().IsMatch(name))
                {
                    v.Invalid("metadata.name", $"`{name}` is not a valid Service name: it must be a DNS-1035 label (at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit)");
                }

                break;
            default:
                if (!IsDnsSubdomain(name))
                {
                    v.Invalid("metadata.name", $"`{name}` is not a valid name: it must be a DNS subdomain (RFC 1123: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)");
                }

                break;
        }

        if (meta!.NamespaceProperty is { Length: > 0 } ns && !IsDnsLabel(ns))
        {
            v.Invalid("metadata.namespace", $"`{ns}` is not a valid namespace name: it must be a DNS label (RFC 1123)");
        }

        if (meta.Labels is not null)
        {
            foreach (var (key, value) in meta.Labels)
            {
                var path = FieldPath.Child("metadata.labels", key);
                if (!IsQualifiedName(key))
                {
                    v.Invalid(path, $"label key `{key}` is not valid: it must be an optional DNS-subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
                }

                if (value is { Length: > 0 } && (value.Length > 63 || !LabelValue().IsMatch(value)))
                {
                    v.Invalid(path, $"label value `{value}` is not valid: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
                }
            }
        }
    }

    // ---- GatewayClass ---------------------------------------------------------------------------------------------

    private static void ValidateGatewayClass(Collector v, GatewayClassSpec spec)
    {
        // The CRD also gives controllerName a domain-prefixed pattern; it is not checked here because manifests
        // commonly carry a placeholder that tooling fills in (the conformance suite's "{GATEWAY_CONTROLLER_NAME}").
        if (string.IsNullOrEmpty(spec.ControllerName))
        {
            v.Add(DiagnosticCodes.MissingField, "spec.controllerName", "required field `controllerName` is missing");
        }
        else if (spec.ControllerName.Length > 253)
        {
            v.Invalid("spec.controllerName", "controllerName must be at most 253 characters");
        }

        if (spec.Description is { Length: > 64 })
        {
            v.Invalid("spec.description", "description must be at most 64 characters");
        }
    }

    // ---- Gateway --------------------------------------------------------------------------------------------------

    private static void ValidateGateway(Collector v, GatewaySpec spec)
    {
        if (string.IsNullOrEmpty(spec.GatewayClassName))
        {
            v.Add(DiagnosticCodes.MissingField, "spec.gatewayClassName", "required field `gatewayClassName` is missing");
        }

        var listeners = spec.Listeners ?? [];
        if (listeners.Count == 0)
        {
            v.Add(DiagnosticCodes.MissingField, "spec.listeners", "a Gateway needs at least one listener");
        }
        else if (listeners.Count > 64)
        {
            v.Invalid("spec.listeners", $"a Gateway may have at most 64 listeners, it has {listeners.Count}");
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var combos = new Dictionary<(int, string, string?), int>();
        for (var i = 0; i < listeners.Count; i++)
        {
            var l = listeners[i];
            var path = $"spec.listeners[{i}]";
            ValidateListener(v, l, path);

            if (l.Name is not null)
            {
                if (names.TryGetValue(l.Name, out var first))
                {
                    v.Invalid(path + ".name", $"Listener name must be unique within the Gateway: `{l.Name}` is also the name of spec.listeners[{first}]");
                }
                else
                {
                    names[l.Name] = i;
                }
            }

            var combo = (l.Port, l.Protocol ?? "", string.IsNullOrEmpty(l.Hostname) ? null : l.Hostname);
            if (combos.TryGetValue(combo, out var same))
            {
                v.Invalid(path, $"Combination of port, protocol and hostname must be unique for each listener: spec.listeners[{same}] also has port {l.Port}, protocol {l.Protocol} and {(combo.Item3 is null ? "no hostname" : "hostname " + combo.Item3)}");
            }
            else
            {
                combos[combo] = i;
            }
        }

        if (spec.Addresses is { } addresses)
        {
            for (var i = 0; i < addresses.Count; i++)
            {
                var a = addresses[i];
                var path = $"spec.addresses[{i}]";
                if ((a.Type ?? "IPAddress") == "Hostname" && a.Value is { Length: > 0 } h && !IsHostname(h, allowWildcard: true))
                {
                    v.Invalid(path + ".value", $"Hostname value must only contain valid characters: `{h}` is not a valid hostname");
                }
            }
        }

        if (spec.Infrastructure?.ParametersRef?.Namespace is not null)
        {
            v.Add(DiagnosticCodes.UnknownField, "spec.infrastructure.parametersRef.namespace", "unknown field `namespace`: infrastructure.parametersRef is a local reference (same namespace as the Gateway)");
        }

        if (spec.Tls?.Frontend?.PerPort is { } perPort)
        {
            var ports = new HashSet<int>();
            for (var i = 0; i < perPort.Count; i++)
            {
                ValidatePort(v, perPort[i].Port, $"spec.tls.frontend.perPort[{i}].port");
                if (!ports.Add(perPort[i].Port))
                {
                    v.Invalid($"spec.tls.frontend.perPort[{i}].port", "Port for TLS configuration must be unique within the Gateway");
                }
            }
        }
    }

    private static void ValidateListener(Collector v, Listener l, string path)
    {
        if (string.IsNullOrEmpty(l.Name))
        {
            v.Add(DiagnosticCodes.MissingField, path + ".name", "required field `name` is missing");
        }
        else if (!IsDnsSubdomain(l.Name))
        {
            v.Invalid(path + ".name", $"listener name `{l.Name}` is not valid: it must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
        }

        ValidatePort(v, l.Port, path + ".port");

        var protocol = l.Protocol ?? "";
        if (protocol.Length == 0)
        {
            v.Add(DiagnosticCodes.MissingField, path + ".protocol", "required field `protocol` is missing");
        }
        else if (protocol.Length > 255 || !ProtocolPattern().IsMatch(protocol))
        {
            v.Invalid(path + ".protocol", $"protocol `{protocol}` is not valid: use HTTP, HTTPS, TLS, TCP, UDP, or a domain-prefixed name such as example.com/PROTOCOL");
        }
        else if (!CoreProtocols.Contains(protocol) && !protocol.Contains('/', StringComparison.Ordinal))
        {
            var close = CoreProtocols.FirstOrDefault(p => string.Equals(p, protocol, StringComparison.OrdinalIgnoreCase));
            v.Add(DiagnosticCodes.UnsupportedValue, path + ".protocol",
                $"protocol `{protocol}` is not one of HTTP, HTTPS, TLS, TCP, UDP" + (close is null ? " and not domain-prefixed (example.com/PROTOCOL); the listener will not be accepted" : $"; did you mean `{close}`?"));
        }

        if (!string.IsNullOrEmpty(l.Hostname))
        {
            if (!IsHostname(l.Hostname, allowWildcard: true))
            {
                v.Invalid(path + ".hostname", HostnameMessage(l.Hostname, allowWildcard: true));
            }

            if (protocol is "TCP" or "UDP")
            {
                v.Invalid(path + ".hostname", "hostname must not be specified for protocols ['TCP', 'UDP']");
            }
        }

        if (l.Tls is { } tls)
        {
            if (protocol is "HTTP" or "TCP" or "UDP")
            {
                v.Invalid(path + ".tls", "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
            }

            var mode = string.IsNullOrEmpty(tls.Mode) ? "Terminate" : tls.Mode;
            if (mode is not ("Terminate" or "Passthrough"))
            {
                v.Invalid(path + ".tls.mode", $"tls mode `{tls.Mode}` is not valid: use Terminate or Passthrough");
            }
            else if (protocol == "HTTPS" && mode != "Terminate")
            {
                v.Invalid(path + ".tls.mode", "tls mode must be Terminate for protocol HTTPS");
            }

            if (mode == "Terminate" && (tls.CertificateRefs?.Count ?? 0) == 0 && (tls.Options?.Count ?? 0) == 0)
            {
                v.Invalid(path + ".tls", "certificateRefs or options must be specified when mode is Terminate");
            }

            if (tls.CertificateRefs is { Count: > 64 })
            {
                v.Invalid(path + ".tls.certificateRefs", "at most 64 certificateRefs are allowed");
            }

            for (var i = 0; i < (tls.CertificateRefs?.Count ?? 0); i++)
            {
                var r = tls.CertificateRefs![i];
                ValidateRefNames(v, $"{path}.tls.certificateRefs[{i}]", r.Group, r.Kind, r.Name, r.Namespace);
            }
        }

        if (l.AllowedRoutes is { } allowed)
        {
            if (allowed.Namespaces?.From is { } from && from is not ("All" or "Same" or "Selector"))
            {
                v.Invalid(path + ".allowedRoutes.namespaces.from", $"`{from}` is not valid: use All, Same or Selector");
            }

            if (allowed.Namespaces?.From == "Selector" && allowed.Namespaces.Selector is null)
            {
                v.Add(DiagnosticCodes.MissingField, path + ".allowedRoutes.namespaces.selector", "`from: Selector` needs a `selector`");
            }

            for (var i = 0; i < (allowed.Kinds?.Count ?? 0); i++)
            {
                var k = allowed.Kinds![i];
                ValidateRefNames(v, $"{path}.allowedRoutes.kinds[{i}]", k.Group, k.Kind, null, null);
            }
        }
    }

    // ---- HTTPRoute ------------------------------------------------------------------------------------------------

    private static void ValidateHttpRoute(Collector v, HttpRouteSpec spec)
    {
        ValidateRouteCommon(v, spec.ParentRefs, spec.Hostnames, spec.Rules, r => r.Name, r => r.Matches?.Count ?? 0, (rule, path) =>
        {
            var matches = rule.Matches ?? [];
            for (var m = 0; m < matches.Count; m++)
            {
                ValidateMatch(v, matches[m], $"{path}.matches[{m}]");
            }

            ValidateFilters(v, rule.Filters, path + ".filters");

            var backendRefs = rule.BackendRefs ?? [];
            for (var b = 0; b < backendRefs.Count; b++)
            {
                var br = backendRefs[b];
                var bpath = $"{path}.backendRefs[{b}]";
                ValidateWeightedBackendRef(v, bpath, br.Group, br.Kind, br.Name, br.Namespace, br.Port, br.Weight);
                ValidateFilters(v, br.Filters, bpath + ".filters");
            }

            var filters = rule.Filters ?? [];
            if (backendRefs.Count > 0 && filters.Any(f => f.RequestRedirect is not null))
            {
                v.Invalid(path + ".filters", "RequestRedirect filter must not be used together with backendRefs");
            }

            var prefixRewrite =
                filters.Any(f => f.RequestRedirect?.Path is { Type: "ReplacePrefixMatch", ReplacePrefixMatch: not null })
                || filters.Any(f => f.UrlRewrite?.Path is { Type: "ReplacePrefixMatch", ReplacePrefixMatch: not null })
                || backendRefs.Any(b => b.Filters?.Any(f => f.RequestRedirect?.Path is { Type: "ReplacePrefixMatch", ReplacePrefixMatch: not null }
                                                          || f.UrlRewrite?.Path is { Type: "ReplacePrefixMatch", ReplacePrefixMatch: not null }) == true);
            if (prefixRewrite && (matches.Count != 1 || matches[0].Path is null || (matches[0].Path!.Type ?? "PathPrefix") != "PathPrefix"))
            {
                v.Invalid(path + ".matches", "When using a RequestRedirect or URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified");
            }

            if (rule.Timeouts is { } t)
            {
                TimeSpan? request = null, backend = null;
                if (t.Request is not null)
                {
                    request = ParseDuration(v, t.Request, path + ".timeouts.request");
                }

                if (t.BackendRequest is not null)
                {
                    backend = ParseDuration(v, t.BackendRequest, path + ".timeouts.backendRequest");
                }

                if (request is { } rq && backend is { } bk && rq != TimeSpan.Zero && bk > rq)
                {
                    v.Invalid(path + ".timeouts.backendRequest", $"backendRequest timeout cannot be longer than request timeout ({t.BackendRequest} > {t.Request})");
                }
            }

            if (rule.Retry is { } retry)
            {
                for (var c = 0; c < (retry.Codes?.Count ?? 0); c++)
                {
                    if (retry.Codes![c] is < 400 or > 599)
                    {
                        v.Invalid($"{path}.retry.codes[{c}]", $"retry code {retry.Codes[c]} is out of range: it must be between 400 and 599");
                    }
                }

                if (retry.Attempts is < 0)
                {
                    v.Invalid(path + ".retry.attempts", "attempts must not be negative");
                }

                if (retry.Backoff is not null)
                {
                    ParseDuration(v, retry.Backoff, path + ".retry.backoff");
                }
            }
        });
    }

    /// <summary>
    /// What every route kind shares: parentRefs, hostnames, the CRD's limits on rules and matches,
    /// unique rule names. <paramref name="validateRule"/> checks the kind's own parts of each rule.
    /// </summary>
    private static void ValidateRouteCommon<TRule>(
        Collector v, List<ParentReference>? parentRefs, List<string>? hostnameList, List<TRule>? ruleList,
        Func<TRule, string?> ruleName, Func<TRule, int> matchCount, Action<TRule, string> validateRule)
    {
        ValidateParentRefs(v, parentRefs);

        var hostnames = hostnameList ?? [];
        if (hostnames.Count > 16)
        {
            v.Invalid("spec.hostnames", $"at most 16 hostnames are allowed, there are {hostnames.Count}");
        }

        for (var i = 0; i < hostnames.Count; i++)
        {
            if (!IsHostname(hostnames[i], allowWildcard: true))
            {
                v.Invalid($"spec.hostnames[{i}]", HostnameMessage(hostnames[i], allowWildcard: true));
            }
        }

        var rules = ruleList ?? [];
        if (rules.Count > 16)
        {
            v.Invalid("spec.rules", $"at most 16 rules are allowed, there are {rules.Count}");
        }

        var totalMatches = 0;
        var ruleNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var path = $"spec.rules[{i}]";
            if (ruleName(rule) is { } name)
            {
                if (!IsDnsSubdomain(name))
                {
                    v.Invalid(path + ".name", $"rule name `{name}` is not valid: it must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
                }
                else if (!ruleNames.Add(name))
                {
                    v.Invalid(path + ".name", $"rule name `{name}` must be unique within the route");
                }
            }

            var matches = matchCount(rule);
            totalMatches += matches;
            if (matches > 64)
            {
                v.Invalid(path + ".matches", $"at most 64 matches are allowed per rule, there are {matches}");
            }

            validateRule(rule, path);
        }

        if (totalMatches > 128)
        {
            v.Invalid("spec.rules", $"While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128 (there are {totalMatches})");
        }
    }

    private static void ValidateWeightedBackendRef(Collector v, string path, string? group, string? kind, string name, string? ns, int? port, int? weight)
    {
        ValidateBackendRef(v, path, group, kind, name, ns, port);
        if (weight is { } w && (w < 0 || w > MaxWeight))
        {
            v.Invalid(path + ".weight", $"weight {w} is out of range: it must be between 0 and {MaxWeight}");
        }
    }

    private static void ValidateParentRefs(Collector v, List<ParentReference>? parentRefs)
    {
        var refs = parentRefs ?? [];
        if (refs.Count > 32)
        {
            v.Invalid("spec.parentRefs", $"at most 32 parentRefs are allowed, there are {refs.Count}");
        }

        for (var i = 0; i < refs.Count; i++)
        {
            var p = refs[i];
            var path = $"spec.parentRefs[{i}]";
            ValidateRefNames(v, path, p.Group, p.Kind, p.Name, p.Namespace);
            if (p.SectionName is not null && !IsDnsSubdomain(p.SectionName))
            {
                v.Invalid(path + ".sectionName", $"sectionName `{p.SectionName}` is not valid: it must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
            }

            if (p.Port is { } port)
            {
                ValidatePort(v, port, path + ".port");
            }
        }

        // "sectionName must be specified / unique when parentRefs includes 2 or more references to the same parent"
        foreach (var group in refs.Select((p, i) => (p, i)).GroupBy(x => (x.p.Group ?? GatewayApiGroup.Name, x.p.Kind ?? "Gateway", x.p.Namespace ?? "", x.p.Name)))
        {
            var same = group.ToList();
            if (same.Count < 2)
            {
                continue;
            }

            var withSection = same.Count(x => !string.IsNullOrEmpty(x.p.SectionName));
            if (withSection != 0 && withSection != same.Count)
            {
                v.Invalid($"spec.parentRefs[{same[^1].i}].sectionName", "sectionName must be specified when parentRefs includes 2 or more references to the same parent");
            }

            foreach (var dup in same.GroupBy(x => (x.p.SectionName ?? "", x.p.Port)).Where(g => g.Count() > 1))
            {
                v.Invalid($"spec.parentRefs[{dup.Last().i}]", "sectionName must be unique when parentRefs includes 2 or more references to the same parent");
            }
        }
    }

    private static void ValidateMatch(Collector v, HttpRouteMatch match, string path)
    {
        if (match.Path is { } p)
        {
            var type = p.Type ?? "PathPrefix";
            var value = p.Value ?? "/";
            if (type is not ("Exact" or "PathPrefix" or "RegularExpression"))
            {
                v.Invalid(path + ".path.type", $"type must be one of ['Exact', 'PathPrefix', 'RegularExpression'], got `{type}`");
            }
            else if (type != "RegularExpression")
            {
                var vp = path + ".path.value";
                if (!value.StartsWith('/'))
                {
                    v.Invalid(vp, $"value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix'], got `{value}`");
                }

                foreach (var bad in (string[])["//", "/./", "/../", "%2f", "%2F", "#"])
                {
                    if (value.Contains(bad, StringComparison.Ordinal))
                    {
                        v.Invalid(vp, $"must not contain '{bad}' when type one of ['Exact', 'PathPrefix']");
                    }
                }

                foreach (var bad in (string[])["/..", "/."])
                {
                    if (value.EndsWith(bad, StringComparison.Ordinal))
                    {
                        v.Invalid(vp, $"must not end with '{bad}' when type one of ['Exact', 'PathPrefix']");
                        break;
                    }
                }

                if (value.Length > 0 && !PathChars().IsMatch(value))
                {
                    v.Invalid(vp, $"`{value}` must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{{2}})+$) for types ['Exact', 'PathPrefix']");
                }
            }
            else
            {
                ValidateRegex(v, value, path + ".path.value");
            }

            if (value.Length > 1024)
            {
                v.Invalid(path + ".path.value", "the path must be at most 1024 characters");
            }
        }

        var headers = match.Headers ?? [];
        if (headers.Count > 16)
        {
            v.Invalid(path + ".headers", $"at most 16 header matches are allowed, there are {headers.Count}");
        }

        var headerNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            var hp = $"{path}.headers[{i}]";
            ValidateHeaderName(v, h.Name, hp + ".name");
            if (h.Type is { } t && t is not ("Exact" or "RegularExpression"))
            {
                v.Invalid(hp + ".type", $"header match type `{t}` is not valid: use Exact or RegularExpression");
            }
            else if (h.Type == "RegularExpression")
            {
                ValidateRegex(v, h.Value, hp + ".value");
            }

            if (!headerNames.Add(h.Name ?? ""))
            {
                v.Invalid(hp + ".name", $"header `{h.Name}` is matched twice in the same match (header names are case-insensitive)");
            }
        }

        var queryParams = match.QueryParams ?? [];
        if (queryParams.Count > 16)
        {
            v.Invalid(path + ".queryParams", $"at most 16 query parameter matches are allowed, there are {queryParams.Count}");
        }

        var paramNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < queryParams.Count; i++)
        {
            var q = queryParams[i];
            var qp = $"{path}.queryParams[{i}]";
            ValidateHeaderName(v, q.Name, qp + ".name", what: "query parameter name");
            if (q.Type is { } t && t is not ("Exact" or "RegularExpression"))
            {
                v.Invalid(qp + ".type", $"query parameter match type `{t}` is not valid: use Exact or RegularExpression");
            }
            else if (q.Type == "RegularExpression")
            {
                ValidateRegex(v, q.Value, qp + ".value");
            }

            if (!paramNames.Add(q.Name ?? ""))
            {
                v.Invalid(qp + ".name", $"query parameter `{q.Name}` is matched twice in the same match");
            }
        }

        if (match.Method is { } method && !Methods.Contains(method))
        {
            v.Invalid(path + ".method", $"method `{method}` is not valid: use one of {string.Join(", ", Methods)}");
        }
    }

    private static void ValidateFilters(Collector v, List<HttpRouteFilter>? filters, string path)
    {
        if (filters is null)
        {
            return;
        }

        if (filters.Count > 16)
        {
            v.Invalid(path, $"at most 16 filters are allowed, there are {filters.Count}");
        }

        for (var i = 0; i < filters.Count; i++)
        {
            ValidateFilter(v, filters[i], $"{path}[{i}]");
        }

        foreach (var type in (string[])["RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite"])
        {
            if (filters.Count(f => f.Type == type) > 1)
            {
                v.Invalid(path, $"{type} filter cannot be repeated");
            }
        }

        if (filters.Any(f => f.Type == "RequestRedirect") && filters.Any(f => f.Type == "URLRewrite"))
        {
            v.Invalid(path, "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both");
        }
    }

    private static void ValidateFilter(Collector v, HttpRouteFilter f, string path)
    {
        var type = f.Type ?? "";
        if (!FilterTypes.Contains(type))
        {
            var close = Suggest.Closest(type, FilterTypes);
            v.Invalid(path + ".type", $"filter type `{type}` is not valid: use one of {string.Join(", ", FilterTypes)}" + (close is null ? "" : $"; did you mean `{close}`?"));
            return;
        }

        // type: X needs field x, and no other filter's field (the CRD's "filter.x must be specified for X filter.type"
        // and "filter.x must be nil if the filter.type is not X").
        (string Type, string Field, object? Value)[] fields =
        [
            ("RequestHeaderModifier", "requestHeaderModifier", f.RequestHeaderModifier),
            ("ResponseHeaderModifier", "responseHeaderModifier", f.ResponseHeaderModifier),
            ("RequestMirror", "requestMirror", f.RequestMirror),
            ("RequestRedirect", "requestRedirect", f.RequestRedirect),
            ("URLRewrite", "urlRewrite", f.UrlRewrite),
            ("ExtensionRef", "extensionRef", f.ExtensionRef),
            ("CORS", "cors", f.Cors),
            ("ExternalAuth", "externalAuth", f.ExternalAuth),
        ];
        foreach (var (t, field, value) in fields)
        {
            if (t == type && value is null)
            {
                v.Add(DiagnosticCodes.MissingField, path + "." + field, $"filter.{field} must be specified for {t} filter.type");
            }
            else if (t != type && value is not null)
            {
                v.Invalid(path + "." + field, $"filter.{field} must be nil if the filter.type is not {t} (it is {type})");
            }
        }

        if (f.RequestHeaderModifier is { } req)
        {
            ValidateHeaderFilter(v, req, path + ".requestHeaderModifier");
        }

        if (f.ResponseHeaderModifier is { } resp)
        {
            ValidateHeaderFilter(v, resp, path + ".responseHeaderModifier");
        }

        if (f.RequestRedirect is { } redirect)
        {
            var rp = path + ".requestRedirect";
            if (redirect.Scheme is { } scheme && scheme is not ("http" or "https"))
            {
                v.Invalid(rp + ".scheme", $"scheme `{scheme}` is not valid: use http or https");
            }

            if (redirect.Hostname is { } host && !IsHostname(host, allowWildcard: false))
            {
                v.Invalid(rp + ".hostname", HostnameMessage(host, allowWildcard: false));
            }

            if (redirect.Port is { } port)
            {
                ValidatePort(v, port, rp + ".port");
            }

            if (redirect.StatusCode is { } code && code is not (301 or 302))
            {
                v.Invalid(rp + ".statusCode", $"statusCode {code} is not valid: use 301 or 302");
            }

            if (redirect.Path is { } p)
            {
                ValidatePathModifier(v, p, rp + ".path");
            }
        }

        if (f.UrlRewrite is { } rewrite)
        {
            var rp = path + ".urlRewrite";
            if (rewrite.Hostname is { } host && !IsHostname(host, allowWildcard: false))
            {
                v.Invalid(rp + ".hostname", HostnameMessage(host, allowWildcard: false));
            }

            if (rewrite.Path is { } p)
            {
                ValidatePathModifier(v, p, rp + ".path");
            }
        }

        if (f.RequestMirror is { } mirror)
        {
            var mp = path + ".requestMirror";
            var b = mirror.BackendRef;
            ValidateBackendRef(v, mp + ".backendRef", b.Group, b.Kind, b.Name, b.Namespace, b.Port);
            if (mirror.Percent is { } percent && percent is < 0 or > 100)
            {
                v.Invalid(mp + ".percent", $"percent {percent} is out of range: it must be between 0 and 100");
            }

            if (mirror.Fraction is { } fraction)
            {
                var denominator = fraction.Denominator ?? 100;
                if (fraction.Numerator < 0)
                {
                    v.Invalid(mp + ".fraction.numerator", "numerator must not be negative");
                }

                if (denominator < 1)
                {
                    v.Invalid(mp + ".fraction.denominator", "denominator must be at least 1");
                }

                if (fraction.Numerator > denominator)
                {
                    v.Invalid(mp + ".fraction", "numerator must be less than or equal to denominator");
                }
            }

            if (mirror.Percent is not null && mirror.Fraction is not null)
            {
                v.Invalid(mp, "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter");
            }
        }

        if (f.ExtensionRef is { } ext)
        {
            ValidateRefNames(v, path + ".extensionRef", ext.Group, ext.Kind, ext.Name, null);
        }

        if (f.Cors is { } cors)
        {
            var cp = path + ".cors";
            for (var i = 0; i < (cors.AllowOrigins?.Count ?? 0); i++)
            {
                if (!CorsOrigin().IsMatch(cors.AllowOrigins![i]))
                {
                    v.Invalid($"{cp}.allowOrigins[{i}]", $"origin `{cors.AllowOrigins[i]}` is not valid: use `*` or scheme://host[:port]");
                }
            }

            if (cors.AllowOrigins is { Count: > 1 } origins && origins.Contains("*"))
            {
                v.Invalid(cp + ".allowOrigins", "AllowOrigins cannot contain '*' alongside other origins");
            }

            for (var i = 0; i < (cors.AllowMethods?.Count ?? 0); i++)
            {
                var m = cors.AllowMethods![i];
                if (m != "*" && !Methods.Contains(m))
                {
                    v.Invalid($"{cp}.allowMethods[{i}]", $"method `{m}` is not valid: use one of {string.Join(", ", Methods)} or `*`");
                }
            }

            if (cors.AllowMethods is { Count: > 1 } methods && methods.Contains("*"))
            {
                v.Invalid(cp + ".allowMethods", "AllowMethods cannot contain '*' alongside other methods");
            }

            for (var i = 0; i < (cors.AllowHeaders?.Count ?? 0); i++)
            {
                ValidateHeaderName(v, cors.AllowHeaders![i], $"{cp}.allowHeaders[{i}]");
            }

            for (var i = 0; i < (cors.ExposeHeaders?.Count ?? 0); i++)
            {
                ValidateHeaderName(v, cors.ExposeHeaders![i], $"{cp}.exposeHeaders[{i}]");
            }

            if (cors.MaxAge is < 1)
            {
                v.Invalid(cp + ".maxAge", "maxAge must be at least 1");
            }
        }

        if (f.ExternalAuth is { } auth)
        {
            var ap = path + ".externalAuth";
            var b = auth.BackendRef;
            ValidateBackendRef(v, ap + ".backendRef", b.Group, b.Kind, b.Name, b.Namespace, b.Port);
            switch (auth.Protocol)
            {
                case "HTTP":
                    if (auth.Http is null)
                    {
                        v.Add(DiagnosticCodes.MissingField, ap + ".http", "http must be specified when protocol is set to 'HTTP'");
                    }

                    if (auth.Grpc is not null)
                    {
                        v.Invalid(ap + ".grpc", "protocol must be 'GRPC' when grpc is set");
                    }

                    break;
                case "GRPC":
                    if (auth.Grpc is null)
                    {
                        v.Add(DiagnosticCodes.MissingField, ap + ".grpc", "grpc must be specified when protocol is set to 'GRPC'");
                    }

                    if (auth.Http is not null)
                    {
                        v.Invalid(ap + ".http", "protocol must be 'HTTP' when http is set");
                    }

                    break;
                default:
                    v.Invalid(ap + ".protocol", $"protocol `{auth.Protocol}` is not valid: use HTTP or GRPC");
                    break;
            }
        }
    }

    private static void ValidateHeaderFilter(Collector v, HttpHeaderFilter filter, string path)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (list, field) in new[] { (filter.Set, "set"), (filter.Add, "add") })
        {
            if (list is null)
            {
                continue;
            }

            if (list.Count > 16)
            {
                v.Invalid($"{path}.{field}", $"at most 16 headers are allowed, there are {list.Count}");
            }

            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < list.Count; i++)
            {
                ValidateHeaderName(v, list[i].Name, $"{path}.{field}[{i}].name");
                if (!names.Add(list[i].Name ?? ""))
                {
                    v.Invalid($"{path}.{field}[{i}].name", $"header `{list[i].Name}` appears twice in `{field}` (header names are case-insensitive)");
                }
            }

            seen.UnionWith(names);
        }

        for (var i = 0; i < (filter.Remove?.Count ?? 0); i++)
        {
            ValidateHeaderName(v, filter.Remove![i], $"{path}.remove[{i}]");
        }

        if (filter.Remove is { Count: > 16 })
        {
            v.Invalid(path + ".remove", $"at most 16 headers are allowed, there are {filter.Remove.Count}");
        }
    }

    private static void ValidatePathModifier(Collector v, HttpPathModifier p, string path)
    {
        switch (p.Type)
        {
            case "ReplaceFullPath":
                if (p.ReplaceFullPath is null)
                {
                    v.Add(DiagnosticCodes.MissingField, path + ".replaceFullPath", "replaceFullPath must be specified when type is set to 'ReplaceFullPath'");
                }

                if (p.ReplacePrefixMatch is not null)
                {
                    v.Invalid(path + ".replacePrefixMatch", "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set");
                }

                break;
            case "ReplacePrefixMatch":
                if (p.ReplacePrefixMatch is null)
                {
                    v.Add(DiagnosticCodes.MissingField, path + ".replacePrefixMatch", "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'");
                }

                if (p.ReplaceFullPath is not null)
                {
                    v.Invalid(path + ".replaceFullPath", "type must be 'ReplaceFullPath' when replaceFullPath is set");
                }

                break;
            default:
                v.Invalid(path + ".type", $"path modifier type `{p.Type}` is not valid: use ReplaceFullPath or ReplacePrefixMatch");
                break;
        }
    }

    private static void ValidateBackendRef(Collector v, string path, string? group, string? kind, string? name, string? ns, int? port)
    {
        ValidateRefNames(v, path, group, kind, name, ns);
        if (port is { } p)
        {
            ValidatePort(v, p, path + ".port");
        }
        else if (string.IsNullOrEmpty(group) && (kind ?? "Service") == "Service")
        {
            v.Add(DiagnosticCodes.MissingField, path + ".port", "Must have port for Service reference");
        }
    }

    private static void ValidateRefNames(Collector v, string path, string? group, string? kind, string? name, string? ns)
    {
        if (group is { Length: > 0 } && (group.Length > 253 || !IsDnsSubdomain(group)))
        {
            v.Invalid(path + ".group", $"group `{group}` is not valid: it must be empty (the core group) or a DNS subdomain such as gateway.networking.k8s.io");
        }

        if (kind is not null && (kind.Length > 63 || !KindPattern().IsMatch(kind)))
        {
            v.Invalid(path + ".kind", $"kind `{kind}` is not valid: it must start with a letter and contain only letters, digits and '-'");
        }

        if (name is not null && name.Length == 0)
        {
            v.Add(DiagnosticCodes.MissingField, path + ".name", "name must not be empty");
        }
        else if (name is { Length: > 253 })
        {
            v.Invalid(path + ".name", "name must be at most 253 characters");
        }

        if (ns is not null && !IsDnsLabel(ns))
        {
            v.Invalid(path + ".namespace", $"namespace `{ns}` is not valid: it must be a DNS label (RFC 1123)");
        }
    }

    // ---- ReferenceGrant -------------------------------------------------------------------------------------------

    private static void ValidateReferenceGrant(Collector v, ReferenceGrantSpec spec)
    {
        foreach (var (count, field) in new[] { (spec.From?.Count ?? 0, "from"), (spec.To?.Count ?? 0, "to") })
        {
            if (count == 0)
            {
                v.Add(DiagnosticCodes.MissingField, "spec." + field, $"a ReferenceGrant needs at least one entry in `{field}`");
            }
            else if (count > 16)
            {
                v.Invalid("spec." + field, $"at most 16 entries are allowed in `{field}`, there are {count}");
            }
        }

        for (var i = 0; i < (spec.From?.Count ?? 0); i++)
        {
            var f = spec.From![i];
            ValidateRefNames(v, $"spec.from[{i}]", f.Group, f.Kind, null, f.Namespace);
        }

        for (var i = 0; i < (spec.To?.Count ?? 0); i++)
        {
            var t = spec.To![i];
            ValidateRefNames(v, $"spec.to[{i}]", t.Group, t.Kind, t.Name, null);
        }
    }

    // ---- core and Istio -------------------------------------------------------------------------------------------

    private static void ValidateService(Collector v, V1Service s)
    {
        var ports = s.Spec?.Ports ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            ValidatePort(v, p.Port, $"spec.ports[{i}].port");
            if (p.TargetPort is { } target && int.TryParse(target.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var tp))
            {
                ValidatePort(v, tp, $"spec.ports[{i}].targetPort");
            }

            if (ports.Count > 1 && string.IsNullOrEmpty(p.Name))
            {
                v.Add(DiagnosticCodes.MissingField, $"spec.ports[{i}].name", "a Service with more than one port must name every port");
            }
            else if (!string.IsNullOrEmpty(p.Name) && !names.Add(p.Name))
            {
                v.Invalid($"spec.ports[{i}].name", $"port name `{p.Name}` is used twice");
            }
        }
    }

    private static void ValidateServiceEntry(Collector v, ServiceEntrySpec spec)
    {
        if ((spec.Hosts?.Count ?? 0) == 0)
        {
            v.Add(DiagnosticCodes.MissingField, "spec.hosts", "a ServiceEntry needs at least one host");
        }

        for (var i = 0; i < (spec.Ports?.Count ?? 0); i++)
        {
            var p = spec.Ports![i];
            ValidatePort(v, p.Number, $"spec.ports[{i}].number");
            if (p.TargetPort is { } tp)
            {
                ValidatePort(v, tp, $"spec.ports[{i}].targetPort");
            }
        }

        if (spec.Resolution is { } res && res is not ("NONE" or "STATIC" or "DNS" or "DNS_ROUND_ROBIN"))
        {
            v.Invalid("spec.resolution", $"resolution `{res}` is not valid: use NONE, STATIC, DNS or DNS_ROUND_ROBIN");
        }

        if (spec.Location is { } loc && loc is not ("MESH_EXTERNAL" or "MESH_INTERNAL"))
        {
            v.Invalid("spec.location", $"location `{loc}` is not valid: use MESH_EXTERNAL or MESH_INTERNAL");
        }

        for (var i = 0; i < (spec.Endpoints?.Count ?? 0); i++)
        {
            ValidateWorkloadEntry(v, spec.Endpoints![i], $"spec.endpoints[{i}]");
        }
    }

    private static void ValidateWorkloadEntry(Collector v, WorkloadEntrySpec spec, string path)
    {
        foreach (var (name, port) in spec.Ports ?? [])
        {
            ValidatePort(v, port, FieldPath.Child(path + ".ports", name));
        }

        if (spec.Weight is < 0)
        {
            v.Invalid(path + ".weight", "weight must not be negative");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static void ValidatePort(Collector v, int port, string path)
    {
        if (port is < 1 or > 65535)
        {
            v.Invalid(path, $"port {port} is out of range: it must be between 1 and 65535");
        }
    }

    private static void ValidateHeaderName(Collector v, string? name, string path, string what = "header name")
    {
        if (string.IsNullOrEmpty(name))
        {
            v.Add(DiagnosticCodes.MissingField, path, $"{what} must not be empty");
        }
        else if (name.Length > 256 || !HeaderName().IsMatch(name))
        {
            v.Invalid(path, $"{what} `{name}` is not valid: it may contain only letters, digits and !#$%&'*+-.^_`|~");
        }
    }

    private static TimeSpan? ParseDuration(Collector v, string value, string path)
    {
        var m = DurationPattern().Match(value);
        if (!m.Success)
        {
            v.Invalid(path, $"duration `{value}` is not valid: use a Gateway API duration such as 10s, 500ms, 1h30m (units h, m, s, ms; no fractions)");
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match part in DurationPart().Matches(value))
        {
            var n = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        }

        return total;
    }

    /// <summary>A hostname as the Gateway API's Hostname type (allowWildcard) or PreciseHostname accepts it.</summary>
    public static bool IsHostname(string host, bool allowWildcard) =>
        host.Length is > 0 and <= 253 && (allowWildcard ? WildcardHostname() : PreciseHostname()).IsMatch(host);

    public static bool IsDnsLabel(string s) => s.Length is > 0 and <= 63 && DnsLabel().IsMatch(s);

    public static bool IsDnsSubdomain(string s) => s.Length is > 0 and <= 253 && DnsSubdomain().IsMatch(s);

    private static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && !IsDnsSubdomain(key[..slash]))
        {
            return false;
        }

        return name.Length is > 0 and <= 63 && QualifiedNamePart().IsMatch(name);
    }

    private static string HostnameMessage(string host, bool allowWildcard)
    {
        if (host.Contains('*', StringComparison.Ordinal))
        {
            return allowWildcard
                ? $"hostname `{host}` is not valid: a wildcard is allowed only as the whole first label (`*.example.com`)"
                : $"hostname `{host}` is not valid: a wildcard is not allowed here";
        }

        if (host.Any(char.IsAsciiLetterUpper))
        {
            return $"hostname `{host}` is not valid: it must be lowercase (RFC 1123)";
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            return $"hostname `{host}` is not valid: it must not include a port";
        }

        return $"hostname `{host}` is not valid: it must be a DNS name (RFC 1123: lowercase letters, digits, '-' and '.')" + (allowWildcard ? ", optionally starting with `*.`" : "");
    }

    /// <summary>
    /// Every user regex (HTTPRoute and GRPCRoute matches, VirtualService `regex`) is RE2, compiled for .NET's
    /// linear-time engine exactly as the proxy will compile it; anything else is WEFT0015, naming the construct.
    /// </summary>
    private static void ValidateRegex(Collector v, string? pattern, string field)
    {
        if (pattern is not null && !Weft.Ir.Re2Syntax.IsValid(pattern, out var problem))
        {
            v.Add(DiagnosticCodes.NotRe2, field, $"`{pattern}` is not an RE2 regular expression Weft can match in linear time: {problem}");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex PreciseHostname();

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex WildcardHostname();

    [GeneratedRegex(@"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$")]
    private static partial Regex ProtocolPattern();

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")]
    private static partial Regex HeaderName();

    [GeneratedRegex(@"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$")]
    private static partial Regex PathChars();

    [GeneratedRegex(@"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    private static partial Regex KindPattern();

    [GeneratedRegex(@"^([0-9]{1,5}(h|m|s|ms)){1,4}$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"([0-9]{1,5})(ms|h|m|s)")]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"(^\*$)|(^([a-zA-Z][a-zA-Z0-9+\-.]+):\/\/([^:/?#]+)(:([0-9]{1,5}))?$)")]
    private static partial Regex CorsOrigin();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    private sealed class Collector(DecodedResource resource)
    {
        private readonly string _resource = resource.DisplayName;

        public List<Diagnostic> Diagnostics { get; } = [];

        public void Invalid(string field, string message) => Add(DiagnosticCodes.InvalidByCrd, field, message);

        public void Add(DiagnosticCode code, string field, string message) =>
            Diagnostics.Add(new Diagnostic
            {
                Code = code.Code,
                Severity = code.Severity,
                Message = message,
                Location = resource.Location,
                Resource = _resource,
                Field = field,
            });
    }
}
