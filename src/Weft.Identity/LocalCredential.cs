using System.Security.Cryptography;

namespace Weft.Identity;

/// <summary>
/// The local-mode bootstrap credential: one random secret per user, kept in a file only that user
/// can read (like a kubeconfig). `weft up` creates it on first start; the CLI sends it to the API and
/// proxies derive their <see cref="ProxyTokens">scoped tokens</see> from it, so whoever can read the
/// file is an administrator of every local control plane of that user, and nobody else is.
/// It is kept across restarts on purpose: a proxy in another process, holding a token derived from
/// it, reconnects to a restarted control plane without being told anything new.
/// </summary>
public static class LocalCredential
{
    /// <summary>Overrides the credential wherever one is read (CLI, proxies): a token, admin or scoped.</summary>
    public const string TokenVariable = "WEFT_TOKEN";

    /// <summary>Relocates the folder that holds the credential (default ~/.weft).</summary>
    public const string HomeVariable = "WEFT_HOME";

    /// <summary>Every administrator credential starts with this, so a proxy token is never mistaken for one.</summary>
    public const string Prefix = "weft_";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The folder Weft keeps per-user state in: $WEFT_HOME, else ~/.weft.</summary>
    public static string Home =>
        Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".weft");

    /// <summary>The credential file: $WEFT_HOME/credential.</summary>
    public static string FilePath => Path.Combine(Home, "credential");

    /// <summary>A new random administrator credential (256 bits).</summary>
    public static string Generate() => Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="token"/> has the shape of an administrator credential.</summary>
    public static bool IsAdminToken(string token) => token.StartsWith(Prefix, StringComparison.Ordinal) && token.Length == Prefix.Length + 43;

    /// <summary>
    /// The token a client presents: $WEFT_TOKEN if set, else the credential file's content, else null
    /// (no `weft up` has run as this user yet).
    /// </summary>
    public static string? ReadForClient()
    {
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            return token.Trim();
        }

        return TryRead(FilePath);
    }

    /// <summary>
    /// The credential in <paramref name="path"/>, created (0600, in a 0700 folder) when there is none.
    /// Safe when several `weft up` start at once: the first one's file wins and the others read it.
    /// A file that others can read is narrowed to the owner, and <paramref name="warn"/> says so.
    /// </summary>
    public static string LoadOrCreate(string path, Action<string> warn)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, OwnerOnlyFolder);
            }
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (File.Exists(path))
            {
                NarrowToOwner(path, warn);
                if (TryRead(path) is { } existing)
                {
                    return existing;
                }

                // Another process is between creating the file and writing it: read it again shortly.
                Thread.Sleep(20);
                continue;
            }

            var token = Generate();
            var temp = $"{path}.{Environment.ProcessId}.{System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(6))}.tmp";
            WriteOwnerOnly(temp, token + "\n");
            try
            {
                // Never replaces a credential another process wrote first: every client of that one
                // would stop being able to authenticate.
                File.Move(temp, path, overwrite: false);
                return token;
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }

        throw new IOException($"{path}: the credential file exists but holds no credential; delete it and start again");
    }

    /// <summary>The token in <paramref name="path"/>, or null when there is no file or it holds no token.</summary>
    public static string? TryRead(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    private static void NarrowToOwner(string path, Action<string> warn)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & ~OwnerOnlyFile) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnlyFile);
            warn($"{path} could be read by other users ({Convert.ToString((int)mode, 8)}); it is now 0600. Anyone who read it could administer Weft: delete it to make a new credential.");
        }
    }
}
