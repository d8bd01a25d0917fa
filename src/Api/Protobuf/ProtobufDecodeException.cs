namespace KubeWeb.Api.Protobuf;

/// <summary>Why a protobuf request body could not be turned into JSON.</summary>
public enum ProtobufDecodeFailure
{
    /// <summary>The bytes are not a well-formed envelope or message: answer 400 BadRequest.</summary>
    Malformed,

    /// <summary>The envelope is fine but names a kind or content encoding we cannot decode: answer 415 UnsupportedMediaType.</summary>
    Unsupported,
}

/// <summary>
/// The only exception <see cref="ProtobufDecoder.Decode"/> throws for bad input. The message is safe
/// to show to the client (it names field numbers and kinds, never body contents).
/// </summary>
public sealed class ProtobufDecodeException : Exception
{
    public ProtobufDecodeException(ProtobufDecodeFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    public ProtobufDecodeFailure Failure { get; }
}
