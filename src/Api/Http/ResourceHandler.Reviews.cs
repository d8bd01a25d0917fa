using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    /// <summary>
    /// Self-subject reviews (<c>kubectl auth can-i</c>, <c>auth whoami</c>, the console's action
    /// checks). Until RBAC is enforced every authenticated caller is the cluster admin, so every
    /// access is allowed; the answers say so rather than pretending to evaluate rules.
    /// </summary>
    private async Task ReviewAsync(HttpContext ctx, ResourceType type)
    {
        var (node, media, raw) = await ObjectDecoder.ReadNodeAsync(ctx);
        var review = ObjectDecoder.Decode(node, type, FieldValidationMode.Ignore, IsJson(media) ? raw : null, []);
        review.Metadata.CreationTimestamp = null;
        switch (review)
        {
            case V1SelfSubjectAccessReview access:
                access.Status = new V1SubjectAccessReviewStatus
                {
                    Allowed = true,
                    Reason = "every authenticated user (the admin token and service accounts) is allowed every action (RBAC is not enforced yet)",
                };
                break;
            case V1SelfSubjectRulesReview rules:
                rules.Status = new V1SubjectRulesReviewStatus
                {
                    Incomplete = false,
                    ResourceRules = [new V1ResourceRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }],
                    NonResourceRules = [new V1NonResourceRule { NonResourceURLs = ["*"], Verbs = ["*"] }],
                };
                break;
            case V1SelfSubjectReview self:
                self.Status = new V1SelfSubjectReviewStatus
                {
                    UserInfo = ctx.Items[Security.TokenAuthentication.UserKey] is Security.ServiceAccountUser sa
                        ? new V1UserInfo
                        {
                            Username = sa.UserName,
                            Uid = sa.Uid,
                            Groups = [.. sa.Groups],
                            Extra = sa.Extra(),
                        }
                        : new V1UserInfo { Username = "kubeweb-admin", Groups = ["system:masters", "system:authenticated"] },
                };
                break;
        }

        await Responses.WriteAsync(ctx, 201, review, review.GetType());
    }
}
