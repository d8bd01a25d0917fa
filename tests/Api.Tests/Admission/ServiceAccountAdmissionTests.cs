using k8s.Models;
using KubeWeb.Api.Admission.Plugins;

namespace KubeWeb.Api.Tests.Admission;

public class ServiceAccountAdmissionTests
{
    private static V1Pod Pod(bool? automount = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns" },
        Spec = new V1PodSpec
        {
            AutomountServiceAccountToken = automount,
            InitContainers = [new V1Container { Name = "init", Image = "busybox" }],
            Containers = [new V1Container { Name = "a", Image = "busybox" }, new V1Container { Name = "b", Image = "busybox" }],
        },
    };

    [Fact]
    public void Apply_DefaultsTheAccount_AndMountsTheKubeApiAccessVolumeEverywhere()
    {
        var pod = Pod();
        ServiceAccountAdmission.Apply(pod, _ => null, () => "x7k2q");

        Assert.Equal("default", pod.Spec.ServiceAccountName);
        var volume = Assert.Single(pod.Spec.Volumes);
        Assert.Equal("kube-api-access-x7k2q", volume.Name);
        var sources = volume.Projected.Sources;
        Assert.Equal(3607, sources[0].ServiceAccountToken.ExpirationSeconds);
        Assert.Equal("token", sources[0].ServiceAccountToken.Path);
        Assert.Equal("kube-root-ca.crt", sources[1].ConfigMap.Name);
        Assert.Equal("metadata.namespace", sources[2].DownwardAPI.Items[0].FieldRef.FieldPath);
        Assert.All(pod.Spec.InitContainers.Concat(pod.Spec.Containers), c =>
        {
            var mount = Assert.Single(c.VolumeMounts);
            Assert.Equal((volume.Name, ServiceAccountAdmission.MountPath, true), (mount.Name, mount.MountPath, mount.ReadOnlyProperty == true));
        });
    }

    [Fact]
    public void Apply_RefusesANamedAccountThatDoesNotExist_ButNotTheDefaultOne()
    {
        var named = Pod();
        named.Metadata.NamespaceProperty = "team";
        named.Spec.ServiceAccountName = "robot";
        var e = Assert.Throws<ServiceAccountNotFoundException>(() => ServiceAccountAdmission.Apply(named, _ => null, () => "aaaaa"));
        Assert.Equal("error looking up service account team/robot: serviceaccount \"robot\" not found", e.Message);

        // The deprecated field names the account too.
        var legacy = Pod();
        legacy.Spec.ServiceAccount = "robot";
        Assert.Throws<ServiceAccountNotFoundException>(() => ServiceAccountAdmission.Apply(legacy, _ => null, () => "aaaaa"));

        // The namespace's default account is created after the namespace: a pod may come first.
        var first = Pod();
        ServiceAccountAdmission.Apply(first, _ => null, () => "aaaaa");
        Assert.Equal("default", first.Spec.ServiceAccountName);
    }

    [Fact]
    public void Apply_MountsNothing_WhenThePodOrItsAccountOptsOut()
    {
        var optedOut = Pod(automount: false);
        ServiceAccountAdmission.Apply(optedOut, _ => null, () => "aaaaa");
        Assert.Null(optedOut.Spec.Volumes);

        var account = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "bot" }, AutomountServiceAccountToken = false };
        var byAccount = Pod();
        byAccount.Spec.ServiceAccountName = "bot";
        ServiceAccountAdmission.Apply(byAccount, name => name == "bot" ? account : null, () => "aaaaa");
        Assert.Null(byAccount.Spec.Volumes);

        // The pod's own setting wins over the account's.
        var podWins = Pod(automount: true);
        podWins.Spec.ServiceAccountName = "bot";
        ServiceAccountAdmission.Apply(podWins, name => name == "bot" ? account : null, () => "aaaaa");
        Assert.Single(podWins.Spec.Volumes);
    }

    [Fact]
    public void Apply_LeavesContainersThatMountTheirOwnTokenPathAlone()
    {
        var pod = Pod();
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "mine", MountPath = ServiceAccountAdmission.MountPath }];
        ServiceAccountAdmission.Apply(pod, _ => null, () => "bbbbb");
        Assert.Single(pod.Spec.Containers[0].VolumeMounts);
        Assert.Equal("kube-api-access-bbbbb", Assert.Single(pod.Spec.Containers[1].VolumeMounts).Name);
    }
}

public class StorageAdmissionTests
{
    private static V1StorageClass Class(string name, bool isDefault, int ageMinutes) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = DateTime.UtcNow.AddMinutes(-ageMinutes),
            Annotations = isDefault ? new Dictionary<string, string> { [StorageAdmission.DefaultClassAnnotation] = "true" } : null,
        },
        Provisioner = "x",
    };

    [Fact]
    public void Apply_GivesClaimsWithoutAClassTheNewestDefault_AndKeepsAnExplicitEmptyClass()
    {
        V1StorageClass[] classes = [Class("old-default", true, 60), Class("new-default", true, 1), Class("other", false, 0)];
        var claim = new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "c" }, Spec = new V1PersistentVolumeClaimSpec() };
        StorageAdmission.Apply(claim, classes);
        Assert.Equal("new-default", claim.Spec.StorageClassName);
        Assert.Equal([StorageAdmission.PvcProtection], claim.Metadata.Finalizers);

        var none = new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "n" }, Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "" } };
        StorageAdmission.Apply(none, classes);
        Assert.Equal("", none.Spec.StorageClassName);

        var volume = new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "v" } };
        StorageAdmission.Apply(volume);
        Assert.Equal([StorageAdmission.PvProtection], volume.Metadata.Finalizers);
    }
}
