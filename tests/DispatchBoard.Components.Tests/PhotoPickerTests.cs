using DispatchBoard.Testing;
using DispatchBoard.Web.Photos;
using Microsoft.AspNetCore.Components.Forms;

namespace DispatchBoard.Components.Tests;

public sealed class PhotoPickerTests : DispatchComponentTest
{
    private string[] IncomingFiles()
    {
        var folder = Data.Get<PhotoStore>().IncomingFolder;
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    [Fact]
    public async Task PickedPhotos_AreTempFiles_ARefusedOneLeavesNone_AndTheyGoWhenTheFormGoes()
    {
        var photos = new List<PhotoUpload>();
        var cut = Render<PhotoPicker>(p => p.Add(x => x.Photos, photos));

        cut.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(TestImages.Jpeg(64, 48), "IMG_0001.JPG"),
            InputFileContent.CreateFromBinary(TestImages.NotAnImage(), "fake.jpg"),
            InputFileContent.CreateFromBinary(TestImages.Jpeg(48, 64), "IMG_0002.JPG"));

        cut.WaitForAssertion(() => Assert.Equal(2, photos.Count));
        Assert.Contains("'fake.jpg' is not a JPEG, PNG or WebP picture", cut.Find("[data-testid=photo-error]").TextContent);
        Assert.Equal(photos.Select(p => p.TempPath).Order(), IncomingFiles().Order());
        Assert.All(photos, p => Assert.True(p.Length > 0));

        await DisposeComponentsAsync();

        Assert.Empty(IncomingFiles());
    }
}
