using Coldmod.Server.Internal.Configuration;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Services;

// Installed only when COLDMOD_INSECURE is not on: every call must carry "authorization: Bearer <key>".
internal sealed class ApiKeyInterceptor(IOptions<ServerOptions> options, ILogger<ApiKeyInterceptor> logger) : Interceptor
{
    private const string BearerPrefix = "Bearer ";

    private readonly ApiKeyCheck _check = new(options.Value.ApiKey);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        await continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        var authorization = context.RequestHeaders.GetValue("authorization");
        string? problem;
        if (authorization is null)
        {
            problem = "no API key";
        }
        else if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            problem = "the authorization is not a bearer token";
        }
        else
        {
            problem = _check.Matches(authorization[BearerPrefix.Length..].Trim()) ? null : "wrong API key";
        }

        if (problem is null)
        {
            return;
        }

        ServerLog.Unauthenticated(logger, context.Method, context.Peer, problem);
        throw new RpcException(new Status(StatusCode.Unauthenticated, $"{problem}: send the metadata 'authorization: Bearer <COLDMOD_API_KEY>'"));
    }
}
