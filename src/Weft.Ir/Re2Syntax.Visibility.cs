namespace Weft.Ir;

// Public here, for the IR validator's callers, Weft.Routing and the translator; Weft.Api compiles
// Re2Syntax.cs too (linked) and, without this part, gets it as an internal type of its own.
public static partial class Re2Syntax;
