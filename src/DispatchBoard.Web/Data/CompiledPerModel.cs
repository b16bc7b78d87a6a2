using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DispatchBoard.Web.Data;

/// <summary>
/// A query compiled once per model (<see cref="EF.CompileAsyncQuery{TContext, TResult}(System.Linq.Expressions.Expression{Func{TContext, TResult}})"/>
/// for a hot path). EF binds a compiled query to the model it first ran on and refuses any other; the app runs on
/// SQLite or PostgreSQL, each its own context type and model, and one process (the tests', a migration tool) may use
/// both.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : Delegate
{
    private readonly ConcurrentDictionary<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db) => _byModel.GetOrAdd(db.Model, _ => compile());
}
