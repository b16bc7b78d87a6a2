using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// The data-protection key ring (what signs the sign-in cookies and the antiforgery tokens) lives in data/keys. Its folder
/// is readable by the app's user only, and with <c>DataProtection:KeyEncryptionKey</c> (32 random bytes, base64; keep it
/// outside data/, e.g. in an environment variable) each key is stored encrypted (AES-256-GCM), so a copy of the data folder
/// or a backup does not let anyone forge a cookie. Keys written before the setting was made stay readable; new ones are
/// encrypted.
/// </summary>
public static class KeyRingProtection
{
    public const string Setting = "DataProtection:KeyEncryptionKey";

    public static void Configure(KeyManagementOptions options, IConfiguration configuration, IHostEnvironment environment, ILoggerFactory logs)
    {
        var folder = new DirectoryInfo(Path.Combine(DispatchBoardServices.DataDirectory(configuration, environment), "keys"));
        folder.Create();
        if (!OperatingSystem.IsWindows())
        {
            folder.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }
        options.XmlRepository = new FileSystemXmlRepository(folder, logs);
        if (KeyFrom(configuration) is { } key)
        {
            options.XmlEncryptor = new Encryptor(key);
        }
        else if (environment.IsProduction())
        {
            logs.CreateLogger(typeof(KeyRingProtection)).LogWarning(
                "The sign-in keys in {Folder} are stored unencrypted: set {Setting} (32 random bytes, base64) to encrypt them.", folder.FullName, Setting);
        }
    }

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
