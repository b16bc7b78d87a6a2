using System.Xml;
using System.Xml.Linq;
using DispatchBoard.Web.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// The upgrade of the key ring from files to the database. Until the keys moved to the database they were files in
/// data/keys (one <c>key-{id}.xml</c> per key, and revocations). At start, after the migrations and before anything reads
/// the key ring, every file there whose name is not in the table yet is copied into it, so people signed in before the
/// upgrade stay signed in and stop links already e-mailed keep working.
/// </summary>
/// <remarks>
/// Idempotent: a file and a row are the same key when the row's friendly name is the file's name (how both the folder and
/// the database name a key), and the names are read and the missing keys added in one transaction (on SQLite a write
/// transaction, so two instances starting at once cannot both add a key). A second start finds every name stored and adds
/// nothing; the folder is only read, never changed, so the previous version can still be started on it. A key secret
/// stored in the clear in the folder is encrypted on its way in when <see cref="KeyRingProtection.Setting"/> is set.
/// </remarks>
public sealed class KeyRingImport(
    IDbContextFactory<DispatchDbContext> dbFactory,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<KeyRingImport> logger)
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";

    /// <summary>Copies the keys of the old folder that the database does not hold yet; returns how many it copied.</summary>
    public async Task<int> ImportAsync(CancellationToken ct = default)
    {
        var folder = new DirectoryInfo(KeyRingProtection.LegacyFolder(configuration, environment));
        var files = folder.Exists ? folder.GetFiles("*.xml") : [];
        if (files.Length == 0)
        {
            return 0;
        }
        var encryptor = KeyRingProtection.EncryptorFrom(configuration);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var stored = (await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file.Name);
            if (stored.Contains(name))
            {
                continue;
            }
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                FriendlyName = name,
                Xml = Seal(Read(file), encryptor).ToString(SaveOptions.DisableFormatting),
            });
            added++;
        }
        if (added == 0)
        {
            return 0;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.SignInKeysImported(added, folder.FullName);
        return added;
    }

    private static XElement Read(FileInfo file)
    {
        try
        {
            return XElement.Load(file.FullName);
        }
        catch (XmlException e)
        {
            throw new InvalidOperationException(
                $"The sign-in key file {file.FullName} cannot be read ({e.Message}): move it out of that folder and start again.", e);
        }
    }

    /// <summary>
    /// The key as the key manager would have stored it with the encryptor: each element it marks as a secret
    /// (<c>requiresEncryption="true"</c>) replaced by an <c>encryptedSecret</c> naming its decryptor. Without an encryptor,
    /// or for a key already encrypted, the key as it was.
    /// </summary>
    private static XElement Seal(XElement key, IXmlEncryptor? encryptor)
    {
        var secrets = key.Descendants().Where(e => (bool?)e.Attribute(DataProtection + "requiresEncryption") == true).ToList();
        if (encryptor is null || secrets.Count == 0)
        {
            return key;
        }
        foreach (var secret in secrets)
        {
            var sealedSecret = encryptor.Encrypt(new XElement(secret));
            secret.ReplaceWith(new XElement(DataProtection + "encryptedSecret",
                new XAttribute("decryptorType", sealedSecret.DecryptorType.AssemblyQualifiedName!),
                sealedSecret.EncryptedElement));
        }
        return key;
    }
}
