using System.Security.Cryptography;
using DispatchBoard.Testing;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Tests.Hosting;

/// <summary>
/// The sign-in key ring in the database: read again after a restart, encrypted at rest once a key-encryption key is set,
/// and the key folder of the previous version imported once.
/// </summary>
public sealed class KeyRingProtectionTests : IAsyncLifetime
{
    private readonly string _kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly List<TestData> _apps = [];

    private async Task<TestData> StartAsync(string? keyEncryptionKey = null, string? directory = null)
    {
        var settings = new Dictionary<string, string?>();
        if (keyEncryptionKey is not null)
        {
            settings[KeyRingProtection.Setting] = keyEncryptionKey;
        }
        var app = await TestData.CreateAsync(settings: settings, reuseDirectory: directory);
        _apps.Add(app);
        return app;
    }

    /// <summary>Stops the app and starts it again on its database with these settings.</summary>
    private async Task<TestData> RestartAsync(TestData app, string? keyEncryptionKey = null)
    {
        await app.StopAsync();
        return await StartAsync(keyEncryptionKey, app.Directory);
    }

    private static IDataProtector Protector(IServiceProvider app) => app.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

    private static Task<List<DataProtectionKey>> StoredAsync(TestData app) =>
        app.QueryAsync(db => db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync());

    private static string KeysFolder(TestData app) => Path.Combine(app.Directory, "keys");

    /// <summary>
    /// The previous version's key ring over <paramref name="directory"/>: keys as files in data/keys (encrypted with the
    /// at-rest setting when given), the same application name.
    /// </summary>
    private static ServiceProvider OldKeyRing(string directory, string? keyEncryptionKey = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [KeyRingProtection.Setting] = keyEncryptionKey,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddDataProtection().SetApplicationName(KeyRingProtection.ApplicationName);
        services.Configure<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(directory, "keys")), NullLoggerFactory.Instance);
            o.XmlEncryptor = KeyRingProtection.EncryptorFrom(configuration);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>A school on the previous version: its database, and a cookie sealed with its key folder.</summary>
    private async Task<(string Directory, string Sealed)> BeforeTheUpgradeAsync(string? keyEncryptionKey = null)
    {
        var app = await StartAsync();
        await app.StopAsync();
        using var old = OldKeyRing(app.Directory, keyEncryptionKey);
        return (app.Directory, Protector(old).Protect("signed in before the upgrade"));
    }

    [Fact]
    public async Task KeysAreStoredInTheDatabase_NotInAFolder_AndARestartReadsThem()
    {
        var app = await StartAsync();
        var sealedText = Protector(app.Services).Protect("a sign-in cookie");

        var stored = await StoredAsync(app);
        Assert.NotEmpty(stored);
        Assert.All(stored, k => Assert.StartsWith("<key ", k.Xml));
        Assert.False(Directory.Exists(KeysFolder(app)));
        var restarted = await RestartAsync(app);
        Assert.Equal("a sign-in cookie", Protector(restarted.Services).Unprotect(sealedText));
    }

    [Fact]
    public async Task WithAKeyEncryptionKey_NoKeyIsStoredInTheClear_AndANewStartReadsThem()
    {
        var app = await StartAsync(_kek);
        var sealedText = Protector(app.Services).Protect("a sign-in cookie");

        var stored = await StoredAsync(app);
        Assert.NotEmpty(stored);
        Assert.All(stored, k =>
        {
            Assert.Contains("<encryptedKey", k.Xml);
            Assert.DoesNotContain("<masterKey", k.Xml);
        });
        var restarted = await RestartAsync(app, _kek);
        Assert.Equal("a sign-in cookie", Protector(restarted.Services).Unprotect(sealedText));
    }

    [Fact]
    public async Task AnEncryptedKeyRing_CannotBeReadWithoutItsKey()
    {
        var app = await StartAsync(_kek);
        var sealedText = Protector(app.Services).Protect("a sign-in cookie");

        var withoutKey = await RestartAsync(app);
        Assert.ThrowsAny<CryptographicException>(() => Protector(withoutKey.Services).Unprotect(sealedText));
        var withAnotherKey = await RestartAsync(withoutKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Assert.ThrowsAny<CryptographicException>(() => Protector(withAnotherKey.Services).Unprotect(sealedText));
    }

    [Fact]
    public async Task AKeyEncryptionKeyThatIsNot32Bytes_StopsTheStartWithAMessage()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("c2hvcnQ="));

        Assert.Contains("32 random bytes", error.Message);
    }

    [Fact]
    public async Task TheOldKeyFolder_IsImportedAtTheFirstStart_AndWhatItSealedStillOpens()
    {
        var (directory, sealedText) = await BeforeTheUpgradeAsync();
        var files = Directory.GetFiles(Path.Combine(directory, "keys"), "*.xml").Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
        Assert.NotEmpty(files);

        var app = await StartAsync(directory: directory);

        Assert.Equal("signed in before the upgrade", Protector(app.Services).Unprotect(sealedText));
        var stored = await StoredAsync(app);
        Assert.Equal(files.Order(StringComparer.Ordinal), stored.Select(k => k.FriendlyName).Order(StringComparer.Ordinal));
        Assert.Equal(files.Select(f => File.ReadAllText(Path.Combine(directory, "keys", f + ".xml"))).Select(Normalize).Order(StringComparer.Ordinal),
            stored.Select(k => Normalize(k.Xml!)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheImportRunsOnce_ANewStartAndASecondCallAddNothing()
    {
        var (directory, sealedText) = await BeforeTheUpgradeAsync();
        var first = await StartAsync(directory: directory);
        var afterFirst = await StoredAsync(first);

        var second = await RestartAsync(first);
        var copiedAgain = await second.Get<KeyRingImport>().ImportAsync();

        Assert.Equal(0, copiedAgain);
        Assert.Equal(afterFirst.Select(k => (k.Id, k.FriendlyName, k.Xml)), (await StoredAsync(second)).Select(k => (k.Id, k.FriendlyName, k.Xml)));
        Assert.Equal("signed in before the upgrade", Protector(second.Services).Unprotect(sealedText));
    }

    [Fact]
    public async Task WithAKeyEncryptionKey_AnOldKeyStoredInTheClear_IsEncryptedOnItsWayIn()
    {
        var (directory, sealedText) = await BeforeTheUpgradeAsync();
        Assert.All(Directory.GetFiles(Path.Combine(directory, "keys"), "*.xml"), f => Assert.Contains("<masterKey", File.ReadAllText(f)));

        var app = await StartAsync(_kek, directory);

        Assert.Equal("signed in before the upgrade", Protector(app.Services).Unprotect(sealedText));
        Assert.All(await StoredAsync(app), k =>
        {
            Assert.Contains("<encryptedKey", k.Xml);
            Assert.DoesNotContain("<masterKey", k.Xml);
        });
        // Really sealed with that key, not only marked: without it the imported key cannot be read.
        var withoutKey = await RestartAsync(app);
        Assert.ThrowsAny<CryptographicException>(() => Protector(withoutKey.Services).Unprotect(sealedText));
    }

    [Fact]
    public async Task AnOldKeyFolderEncryptedAtRest_IsImportedAsItIs_AndOpensWithTheSameKey()
    {
        var (directory, sealedText) = await BeforeTheUpgradeAsync(_kek);

        var app = await StartAsync(_kek, directory);

        Assert.Equal("signed in before the upgrade", Protector(app.Services).Unprotect(sealedText));
        Assert.All(await StoredAsync(app), k => Assert.DoesNotContain("<masterKey", k.Xml));
    }

    private static string Normalize(string xml) => System.Xml.Linq.XElement.Parse(xml).ToString(System.Xml.Linq.SaveOptions.DisableFormatting);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }
}
