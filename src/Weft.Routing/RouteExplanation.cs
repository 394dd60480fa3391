using System.Collections.Immutable;

namespace Weft.Routing;

/// <summary>A lookup and, for each route of the chosen virtual host, whether and why it did (not) match.</summary>
public sealed record RouteExplanation(RouteLookupResult Result, ImmutableArray<RouteCandidate> Candidates, string Summary);

/// <summary>
/// One route of the virtual host. <see cref="Chosen"/> is the winner; a later route with
/// <see cref="Matched"/> true is shadowed by it. <see cref="Mismatches"/> is empty when the route matched.
/// </summary>
public sealed record RouteCandidate(RouteModel Route, bool Matched, bool Chosen, ImmutableArray<string> Mismatches);
