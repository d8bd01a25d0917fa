using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Api.Admission;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private async Task CreateAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var opts = WriteOptions.From(ctx.Request, "create");
        var (node, media, raw) = await ObjectDecoder.ReadNodeAsync(ctx);
        var warnings = new List<string>();
        var obj = ToStorage(type, ObjectDecoder.Decode(node, type, opts.Validation, IsJson(media) ? raw : null, warnings));
        var stored = await CreateObjectAsync(type, info.Namespace, obj, opts, ctx.RequestAborted);
        AddWarnings(ctx, warnings);
        await Responses.WriteRawAsync(ctx, 201, Served(type, stored));
    }

    private async Task UpdateAsync(HttpContext ctx, RequestInfo info, ResourceType type, string? subresource)
    {
        var opts = WriteOptions.From(ctx.Request, "update");
        var (node, media, raw) = await ObjectDecoder.ReadNodeAsync(ctx);
        var warnings = new List<string>();
        var body = ObjectDecoder.Decode(node, type, opts.Validation, IsJson(media) ? raw : null, warnings);
        var clientRv = body.Metadata.ResourceVersion;
        Func<StoredObject, IKubernetesObject<V1ObjectMeta>> mutate = subresource == "finalize"
            ? current =>
            {
                // namespaces/{name}/finalize changes only spec.finalizers.
                var ns = (V1Namespace)Codec.Copy(current);
                ns.Spec ??= new V1NamespaceSpec();
                ns.Spec.Finalizers = ((V1Namespace)body).Spec?.Finalizers;
                ns.Metadata.ResourceVersion = clientRv;
                return ns;
            }
            : _ => Codec.Decode(type.StorageResource, Codec.Encode(type.StorageResource, ToStorage(type, body)));
        var stored = await UpdateObjectAsync(type, info, mutate, subresource, opts, preconditioned: !string.IsNullOrEmpty(clientRv), ctx.RequestAborted);
        AddWarnings(ctx, warnings);
        await Responses.WriteRawAsync(ctx, 200, Served(type, stored));
    }

    /// <summary>
    /// Creates an object after the server's metadata, defaulting and validation. Used by the
    /// handler and by in-process callers (namespace set-up).
    /// </summary>
    internal async Task<StoredObject> CreateObjectAsync(
        ResourceType type, string? pathNamespace, IKubernetesObject<V1ObjectMeta> obj, WriteOptions opts, CancellationToken ct)
    {
        var meta = obj.Metadata;
        var strategy = strategies.For(type);
        if (type.Namespaced)
        {
            if (string.IsNullOrEmpty(pathNamespace))
            {
                throw ApiError.BadRequest($"the namespace of the object must be set in the request path to create {type.GroupResource}");
            }

            if (!string.IsNullOrEmpty(meta.NamespaceProperty) && meta.NamespaceProperty != pathNamespace)
            {
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta.NamespaceProperty = pathNamespace;
            var ns = store.Get("namespaces", "", pathNamespace) ?? throw ApiError.NamespaceNotFound(pathNamespace);
            if (ns.Object.Metadata.DeletionTimestamp is not null)
            {
                throw new ApiError(403, "Forbidden",
                    $"{type.GroupResource} \"{meta.Name ?? meta.GenerateName}\" is forbidden: unable to create new content in namespace {pathNamespace} because it is being terminated",
                    new V1StatusDetails { Name = meta.Name, Group = ApiError.G(type), Kind = type.Plural });
            }
        }
        else
        {
            meta.NamespaceProperty = null;
        }

        var generated = string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName);
        for (var attempt = 0; ; attempt++)
        {
            if (generated)
            {
                meta.Name = meta.GenerateName + RandomSuffix();
            }

            var now = Now();
            meta.Uid = Guid.NewGuid().ToString();
            meta.CreationTimestamp = now;
            meta.ResourceVersion = null;
            meta.Generation = HasSpec(type) ? 1 : null;
            meta.DeletionTimestamp = null;
            meta.DeletionGracePeriodSeconds = null;
            meta.SelfLink = null;
            // As kube-apiserver: defaults are applied when the body is decoded, then the strategy prepares.
            strategy.Default(obj);
            strategy.PrepareForCreate(obj);
            AdmitOnCreate(type, obj);

            var errors = ObjectValidation.ValidateCreate(strategy, type, obj);
            if (errors.Count > 0)
            {
                throw ApiError.Invalid(type, meta.Name ?? meta.GenerateName ?? "", errors);
            }

            ManagedFields.TrackUpdate(type, null, obj, opts.FieldManager, null, now);
            using var reservation = AllocateServiceAddresses(type, obj);
            if (opts.DryRun)
            {
                return DryRunResult(type, obj);
            }

            try
            {
                return await store.CreateAsync(type.StorageResource, obj, ct);
            }
            catch (StoreAlreadyExistsException) when (generated && attempt < 8)
            {
            }
            catch (StoreAlreadyExistsException)
            {
                throw ApiError.AlreadyExists(type, meta.Name!);
            }
        }
    }

    /// <summary>
    /// Read-modify-write of one object. <paramref name="mutate"/> builds the new object (a private
    /// copy) from the current one; it is called again if a concurrent write wins the race, unless
    /// the caller pinned a resourceVersion (<paramref name="preconditioned"/>), which yields 409.
    /// </summary>
    internal async Task<StoredObject> UpdateObjectAsync(
        ResourceType type, RequestInfo info, Func<StoredObject, IKubernetesObject<V1ObjectMeta>> mutate,
        string? subresource, WriteOptions opts, bool preconditioned, CancellationToken ct)
    {
        var strategy = strategies.For(type);
        for (var attempt = 0; ; attempt++)
        {
            var current = Require(type, info);
            var old = current.Object;
            var obj = mutate(current);
            var meta = obj.Metadata ??= new V1ObjectMeta();
            if (!string.IsNullOrEmpty(meta.ResourceVersion) && meta.ResourceVersion != current.ResourceVersion.ToString())
            {
                throw ApiError.Conflict(type, info.Name!);
            }

            if (!string.IsNullOrEmpty(meta.Name) && meta.Name != info.Name)
            {
                throw ApiError.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({info.Name})");
            }

            if (type.Namespaced && !string.IsNullOrEmpty(meta.NamespaceProperty) && meta.NamespaceProperty != info.Namespace)
            {
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta.Name = info.Name;
            meta.NamespaceProperty = type.Namespaced ? info.Namespace : null;
            meta.Uid = old.Metadata.Uid;
            meta.CreationTimestamp = old.Metadata.CreationTimestamp;
            meta.DeletionTimestamp = old.Metadata.DeletionTimestamp;
            meta.DeletionGracePeriodSeconds = old.Metadata.DeletionGracePeriodSeconds;
            meta.Generation = old.Metadata.Generation;
            meta.ResourceVersion = current.ResourceVersion.ToString();

            // Server-internal writes (binding, finalize, deletion marks) set fields the strategies guard.
            var internalWrite = subresource is "binding" or "finalize";
            strategy.Default(obj);
            if (subresource == "status")
            {
                strategy.PrepareForStatusUpdate(obj, old);
            }
            else if (!internalWrite)
            {
                strategy.PrepareForUpdate(obj, old);
            }

            if (obj is V1PriorityClass priorityClass && subresource is null)
            {
                AdmitPriorityClass(type, priorityClass);
            }

            var errors = subresource == "status" ? ObjectValidation.ValidateStatusUpdate(strategy, type, obj, old)
                : internalWrite ? []
                : ObjectValidation.ValidateUpdate(strategy, type, obj, old);
            if (errors.Count > 0)
            {
                throw ApiError.Invalid(type, info.Name!, errors);
            }

            if (HasSpec(type) && strategy.SpecChanged(obj, old))
            {
                meta.Generation = (old.Metadata.Generation ?? 0) + 1;
            }

            var now = Now();
            ManagedFields.TrackUpdate(type, old, obj, opts.FieldManager, subresource, now, current.Json);

            // A deleting object goes once its finalizers are gone (namespaces also wait for spec.finalizers).
            var finalize = meta.DeletionTimestamp is not null && (meta.Finalizers is null || meta.Finalizers.Count == 0) &&
                (meta.DeletionGracePeriodSeconds ?? 0) == 0 && obj is not V1Namespace { Spec.Finalizers.Count: > 0 };
            // The no-op check's encoding (resourceVersion still the current one) is what the store
            // writes, with the new revision stamped in, unless something below changes the object.
            var encoded = finalize ? null : Codec.Encode(type.StorageResource, obj);
            if (encoded is not null && encoded.AsSpan().SequenceEqual(current.Json))
            {
                return current;
            }

            using var reservation = subresource is null ? AllocateServiceAddresses(type, obj) : null;
            if (opts.DryRun)
            {
                return DryRunResult(type, obj);
            }

            try
            {
                return finalize
                    ? await store.DeleteAsync(type.StorageResource, Ns(info), info.Name!, current.ResourceVersion, ct)
                    : await store.UpdateAsync(type.StorageResource, obj, current.ResourceVersion, ct, reservation is null ? encoded : null);
            }
            catch (StoreConflictException) when (!preconditioned && attempt < 16)
            {
            }
            catch (StoreConflictException)
            {
                throw ApiError.Conflict(type, info.Name!);
            }
            catch (StoreNotFoundException)
            {
                throw ApiError.NotFound(type, info.Name!);
            }
        }
    }

    /// <summary>Cluster IP and node ports for Services; the reservation lasts until the write settles.</summary>
    private IDisposable? AllocateServiceAddresses(ResourceType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (obj is not V1Service svc)
        {
            return null;
        }

        var (reservation, errors) = services.Allocate(svc);
        if (errors.Count > 0)
        {
            reservation.Dispose();
            throw ApiError.Invalid(type, svc.Metadata.Name, errors);
        }

        return reservation;
    }

    private StoredObject DryRunResult(ResourceType type, IKubernetesObject<V1ObjectMeta> obj) => new()
    {
        Resource = type.StorageResource,
        Namespace = obj.Metadata.NamespaceProperty ?? "",
        Name = obj.Metadata.Name,
        ResourceVersion = long.TryParse(obj.Metadata.ResourceVersion, out var rv) ? rv : 0,
        Json = Codec.Encode(type.StorageResource, obj),
        Object = obj,
    };

    private IKubernetesObject<V1ObjectMeta> ToStorage(ResourceType type, IKubernetesObject<V1ObjectMeta> served) =>
        type.StorageOverride is null ? served : Conversion.VersionConverter.ToStorage(type, served);

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private const string PriorityClasses = "scheduling.k8s.io/priorityclasses";

    /// <summary>The mutating admission plugins that act on create (after defaulting, before validation).</summary>
    private void AdmitOnCreate(ResourceType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        switch (obj)
        {
            case V1Pod pod:
                Admission.Plugins.DefaultTolerationSeconds.Apply(pod, apiOptions.DefaultNotReadyTolerationSeconds, apiOptions.DefaultUnreachableTolerationSeconds);
                try
                {
                    Admission.Plugins.ServiceAccountAdmission.Apply(pod,
                        name => store.Get("serviceaccounts", pod.Metadata.NamespaceProperty ?? "", name)?.Object as V1ServiceAccount, RandomSuffix);
                }
                catch (Admission.Plugins.ServiceAccountNotFoundException e)
                {
                    throw ApiError.Forbidden(type, pod.Metadata.Name ?? pod.Metadata.GenerateName ?? "", e.Message);
                }

                try
                {
                    Admission.Plugins.PriorityAdmission.Apply(pod,
                        name => store.Get(PriorityClasses, "", name)?.Object as V1PriorityClass,
                        () => store.List(PriorityClasses, null).Items.Select(s => s.Object).OfType<V1PriorityClass>());
                }
                catch (Admission.Plugins.PriorityAdmissionException e)
                {
                    throw ApiError.Forbidden(type, pod.Metadata.Name ?? pod.Metadata.GenerateName ?? "", e.Message);
                }

                break;
            case V1PriorityClass priorityClass:
                AdmitPriorityClass(type, priorityClass);
                break;
            case V1PersistentVolumeClaim claim:
                Admission.Plugins.StorageAdmission.Apply(claim, store.List("storage.k8s.io/storageclasses", null).Items.Select(s => s.Object).OfType<V1StorageClass>());
                break;
            case V1PersistentVolume volume:
                Admission.Plugins.StorageAdmission.Apply(volume);
                break;
        }
    }

    /// <summary>On create and update: a PriorityClass may be the global default only if no other is.</summary>
    private void AdmitPriorityClass(ResourceType type, V1PriorityClass priorityClass)
    {
        try
        {
            Admission.Plugins.PriorityAdmission.CheckSingleDefault(priorityClass,
                store.List(PriorityClasses, null).Items.Select(s => s.Object).OfType<V1PriorityClass>());
        }
        catch (Admission.Plugins.PriorityAdmissionException e)
        {
            throw ApiError.Forbidden(type, priorityClass.Metadata.Name ?? "", e.Message);
        }
    }

    private static string RandomSuffix() =>
        string.Create(5, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)];
            }
        });

    /// <summary>Only kinds with a spec carry metadata.generation (ConfigMaps, Secrets, Events do not).</summary>
    private static bool HasSpec(ResourceType type) => type.ClrType.GetProperty("Spec") is not null;

    private static bool IsJson(string media) => media is "" or "application/json";

    private static void AddWarnings(HttpContext ctx, List<string> warnings)
    {
        foreach (var w in warnings)
        {
            Responses.AddWarning(ctx, w);
        }
    }
}

/// <summary>The query parameters every write shares.</summary>
internal sealed record WriteOptions(bool DryRun, FieldValidationMode Validation, string FieldManager, bool Force)
{
    public static WriteOptions From(HttpRequest request, string verb)
    {
        var dryRun = request.Query["dryRun"].ToString();
        if (dryRun.Length > 0 && dryRun != "All")
        {
            throw ApiError.BadRequest($"Invalid dryRun value: \"{dryRun}\": supported values: \"All\"");
        }

        var manager = request.Query["fieldManager"].ToString();
        if (manager.Length > 128)
        {
            throw ApiError.BadRequest("fieldManager must not be longer than 128 characters");
        }

        if (manager.Length == 0)
        {
            manager = UserAgentManager(request.Headers.UserAgent.ToString(), verb);
        }

        return new(dryRun == "All", FieldValidation.ParseMode(request.Query["fieldValidation"]), manager, request.Query["force"] == "true");
    }

    /// <summary>kube-apiserver names an unnamed manager after the client's user agent (up to the first '/').</summary>
    private static string UserAgentManager(string userAgent, string verb) =>
        userAgent.Length == 0 ? "unknown" : userAgent.Split('/')[0];

    public static WriteOptions Internal(string manager) => new(false, FieldValidationMode.Ignore, manager, false);
}
