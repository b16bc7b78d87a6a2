using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Push;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>A duplicate key is recognised as one on whichever database the tests run (SQLite, or PostgreSQL in the second run).</summary>
public sealed class DbErrorsTests : IAsyncLifetime
{
    private TestData _data = default!;

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task ASecondRowWithTheSameKey_IsAUniqueViolation_AndAnotherFailureIsNot()
    {
        var now = _data.Time.GetUtcNow();
        await _data.QueryAsync(db => db.PushVapidKeys.ExecuteDeleteAsync());
        await _data.QueryAsync(db =>
        {
            db.PushVapidKeys.Add(new PushVapidKey { Id = PushVapidKey.SingletonId, PublicKey = "a", PrivateKey = "a", CreatedAt = now });
            return db.SaveChangesAsync();
        });

        var duplicate = await Assert.ThrowsAsync<DbUpdateException>(() => _data.QueryAsync(db =>
        {
            db.PushVapidKeys.Add(new PushVapidKey { Id = PushVapidKey.SingletonId, PublicKey = "b", PrivateKey = "b", CreatedAt = now });
            return db.SaveChangesAsync();
        }));
        await _data.RefuseInsertsAsync("AuditEntries", "test_refuse_audit", "disk full");
        var other = await Assert.ThrowsAsync<DbUpdateException>(() => _data.QueryAsync(db =>
        {
            db.AuditEntries.Add(new DispatchBoard.Web.Audit.AuditEntry { At = now, Kind = DispatchBoard.Web.Audit.AuditKind.SignInFailed, Subject = "x", Details = "y" });
            return db.SaveChangesAsync();
        }));

        Assert.True(DbErrors.IsUniqueViolation(duplicate));
        Assert.False(DbErrors.IsUniqueViolation(other));
    }
}
