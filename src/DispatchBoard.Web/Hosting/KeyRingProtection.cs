using System.Security.Cryptography;
using System.Xml.Linq;
using DispatchBoard.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// The data-protection key ring: what signs the sign-in cookies, the antiforgery tokens and the reporters' stop links. It
/// lives in the database (table <c>DataProtectionKeys</c>), so every app instance on the same database reads and writes the
/// same keys: a cookie made by one is good on another, and a restart or a restore keeps everyone signed in. With
/// <c>DataProtection:KeyEncryptionKey</c> (32 random bytes, base64; keep it outside the database and its backups, e.g. in
/// an environment variable) each key's secret is stored encrypted (AES-256-GCM), so a copy of the database or a backup does
/// not let anyone forge a cookie or a link. Keys written before the setting was made stay readable; new ones are encrypted.
/// Before the keys moved to the database they were files in data/keys: <see cref="KeyRingImport"/> brings them over once.
/// </summary>
public static class KeyRingProtection
{
    public const string Setting = "DataProtection:KeyEncryptionKey";

    /// <summary>The app's name in the key ring: protected data is only readable by an app of the same name.</summary>
    public const string ApplicationName = "DispatchBoard";

    /// <summary>The key ring in the database, encrypted at rest when configured, and the import of the old key folder.</summary>
    public static IServiceCollection AddDispatchKeyRing(this IServiceCollection services)
    {
        // The repository opens a service scope per read or write and takes the scoped DispatchDbContext that the pooled
        // factory registers (a lease returned to the pool when the scope ends): it never holds a context itself.
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<DispatchDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<IConfiguration, IHostEnvironment, ILoggerFactory>(Configure);
        services.AddSingleton<KeyRingImport>();
        return services;
    }

    public static void Configure(KeyManagementOptions options, IConfiguration configuration, IHostEnvironment environment, ILoggerFactory logs)
    {
        // The encryptor applies to whatever repository holds the keys (the database here).
        if (EncryptorFrom(configuration) is { } encryptor)
        {
            options.XmlEncryptor = encryptor;
        }
        else if (environment.IsProduction())
        {
            logs.CreateLogger(typeof(KeyRingProtection)).SignInKeysUnencrypted(Setting);
        }
    }

    /// <summary>Where the keys were kept before they moved to the database: data/keys, beside the SQLite file.</summary>
    public static string LegacyFolder(IConfiguration configuration, IHostEnvironment environment) =>
        Path.Combine(DispatchBoardServices.DataDirectory(configuration, environment), "keys");

    /// <summary>The encryptor for the configured key, or null when no key is set.</summary>
    public static IXmlEncryptor? EncryptorFrom(IConfiguration configuration) => KeyFrom(configuration) is { } key ? new Encryptor(key) : null;

    /// <summary>The configured key, or null; a value that is not 32 bytes of base64 stops the app with a message.</summary>
    public static byte[]? KeyFrom(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var bytes = new byte[64];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var length) && length == 32
            ? bytes[..32]
            : throw new OptionsValidationException(Setting, typeof(KeyManagementOptions),
                [$"{Setting} must be 32 random bytes in base64 (make one with: openssl rand -base64 32)."]);
    }

    private static readonly XName Envelope = "encryptedKey";

    private sealed class Encryptor(byte[] key) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
            var tag = new byte[AesGcm.TagByteSizes.MaxSize];
            var cipher = new byte[plain.Length];
            using (var aes = new AesGcm(key, tag.Length))
            {
                aes.Encrypt(nonce, plain, cipher, tag);
            }
            CryptographicOperations.ZeroMemory(plain);
            var element = new XElement(Envelope,
                new XComment(" Encrypted with DataProtection:KeyEncryptionKey (AES-256-GCM). "),
                new XElement("nonce", Convert.ToBase64String(nonce)),
                new XElement("tag", Convert.ToBase64String(tag)),
                new XElement("value", Convert.ToBase64String(cipher)));
            return new EncryptedXmlInfo(element, typeof(Decryptor));
        }
    }

    /// <summary>Made by the data-protection system by type name when it reads an encrypted key.</summary>
    public sealed class Decryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            var key = KeyFrom(services.GetRequiredService<IConfiguration>())
                ?? throw new InvalidOperationException($"A sign-in key is encrypted but {Setting} is not set: set it to the value it was written with.");
            var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
            var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
            var cipher = Convert.FromBase64String((string)encryptedElement.Element("value")!);
            var plain = new byte[cipher.Length];
            using (var aes = new AesGcm(key, tag.Length))
            {
                aes.Decrypt(nonce, cipher, tag, plain);
            }
            return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
        }
    }
}
