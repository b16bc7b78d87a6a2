using System.Security.Cryptography;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Tests.Hosting;

/// <summary>The sign-in key ring in data/keys: private to the app's user, and encrypted at rest once a key-encryption key is set.</summary>
public sealed class KeyRingProtectionTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "dispatchboard-keys", Guid.NewGuid().ToString("N"));
    private readonly string _kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private string KeysFolder => Path.Combine(_data, "keys");

    /// <summary>A data-protection system as the app sets it up, over the test's data folder; each call is a fresh start.</summary>
    private ServiceProvider App(string? keyEncryptionKey)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Dispatch"] = $"Data Source={Path.Combine(_data, "dispatch.db")}" };
        if (keyEncryptionKey is not null)
        {
            settings[KeyRingProtection.Setting] = keyEncryptionKey;
        }
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IHostEnvironment>(new Environment(_data));
        services.AddLogging();
        services.AddDataProtection().SetApplicationName("DispatchBoard");
        services.AddOptions<KeyManagementOptions>().Configure<IConfiguration, IHostEnvironment, Microsoft.Extensions.Logging.ILoggerFactory>(KeyRingProtection.Configure);
        return services.BuildServiceProvider();
    }

    private static IDataProtector Protector(IServiceProvider app) => app.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

    [Fact]
    public void WithAKeyEncryptionKey_NoKeyIsStoredInTheClear_AndANewStartReadsThem()
    {
        string sealedText;
        using (var first = App(_kek))
        {
            sealedText = Protector(first).Protect("a sign-in cookie");
        }

        var files = Directory.GetFiles(KeysFolder, "*.xml");
        Assert.NotEmpty(files);
        Assert.All(files, f =>
        {
            var xml = File.ReadAllText(f);
            Assert.Contains("<encryptedKey", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
        using var restarted = App(_kek);
        Assert.Equal("a sign-in cookie", Protector(restarted).Unprotect(sealedText));
    }

    [Fact]
    public void AnEncryptedKeyRing_CannotBeReadWithoutItsKey()
    {
        string sealedText;
        using (var first = App(_kek))
        {
            sealedText = Protector(first).Protect("a sign-in cookie");
        }

        using var withoutKey = App(null);
        using var withAnotherKey = App(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        Assert.ThrowsAny<CryptographicException>(() => Protector(withoutKey).Unprotect(sealedText));
        Assert.ThrowsAny<CryptographicException>(() => Protector(withAnotherKey).Unprotect(sealedText));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheKeysFolder_IsReadableByTheAppsUserOnly()
    {
        using var app = App(null);
        Protector(app).Protect("x");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(KeysFolder));
    }

    [Fact]
    public void AKeyEncryptionKeyThatIsNot32Bytes_StopsTheStartWithAMessage()
    {
        using var app = App("c2hvcnQ=");

        var error = Assert.Throws<OptionsValidationException>(() => Protector(app).Protect("x"));
        Assert.Contains("32 random bytes", error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "DispatchBoard.Tests";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
