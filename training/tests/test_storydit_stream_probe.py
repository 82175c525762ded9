import torch

from storydit import pipeline
from storydit.model import StoryDiT, dit_config
from storydit.stream_probe import frame_changes, stream_shot


def tiny():
    torch.manual_seed(0)
    model = StoryDiT(dit_config("tiny")).eval()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.05)
    c = model.cfg
    layout = model.layout_for([6], False)
    x0 = torch.randn(2, 6, c.latent_channels, c.latent_h, c.latent_w)
    text = torch.randn(2, 1, c.l_txt, 384)
    shared = torch.randn(2, 1, c.latent_channels, c.latent_h, c.latent_w)
    return model, layout, x0, text, shared


def test_forced_streaming_from_the_models_own_frames_is_own_streaming():
    model, layout, x0, text, shared = tiny()
    d = pipeline.SamplerDefaults(steps=3, shift=1.0)
    own = stream_shot(model, x0, text, layout, lambda _: None, shared, d, False, 5)
    assert own.shape == x0.shape
    forced = stream_shot(model, x0, text, layout, lambda _: None, shared, d, True, 5)
    assert torch.allclose(forced[:, :2], own[:, :2]), "the first chunk has no context either way"
    assert not torch.allclose(forced[:, 2:], own[:, 2:], atol=1e-3), "later chunks read the context"
    again = stream_shot(model, own, text, layout, lambda _: None, shared, d, True, 5)
    assert torch.allclose(again, own, atol=1e-5), "forced from the model's own frames = own"


def test_a_continuation_start_near_zero_holds_each_chunk_at_the_frame_before_it():
    model, layout, x0, text, shared = tiny()
    d = pipeline.SamplerDefaults(steps=3, shift=1.0, continuation_start=0.01)
    video = stream_shot(model, x0, text, layout, lambda _: None, shared, d, False, 5)
    assert float((video[:, 2] - video[:, 1]).abs().max()) < 0.1
    assert float((video[:, 4] - video[:, 3]).abs().max()) < 0.1


def test_frame_changes_split_inside_chunks_from_seams():
    video = torch.zeros(1, 4, 1, 2, 2)
    video[:, 2:] = 0.2                                      # one jump, at the seam before frame 2 (chunks of 2)
    ch = frame_changes(video, 2)
    assert ch["inside"] == 0.0 and abs(ch["seam"] - 0.2 * 127.5) < 1e-4


def tiny_unet(**inputs):
    """A random tiny pixel U-Net model with the given conv-encoder inputs, a 6-frame shot (chunks of 2) of zeros,
    text, shared noise and 2-step sampler settings: (model, layout, x0, text, shared, defaults)."""
    torch.manual_seed(0)
    model = StoryDiT(dit_config("tiny", prediction="x", conv_decoder_width=4, conv_encoder=True, **inputs)).eval()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.05)
    c = model.cfg
    x0 = torch.zeros(2, 6, c.latent_channels, c.latent_h, c.latent_w)
    text, shared = torch.randn(2, 1, c.l_txt, 384), torch.randn(2, 1, c.latent_channels, c.latent_h, c.latent_w)
    return model, model.layout_for([6], False), x0, text, shared, pipeline.SamplerDefaults(steps=2, shift=1.0)


def test_a_box_model_streams_each_chunk_with_the_boxes_of_the_frames_it_sees():
    """Chunk j's step sees frames < (j + 1) * chunk: a box placed only in the last chunk changes that chunk alone."""
    model, layout, x0, text, shared, d = tiny_unet(actor_box_cond=True)
    c = model.cfg
    none = torch.zeros(2, 6, 1, c.latent_h, c.latent_w)
    late = none.clone()
    late[:, 4:, :, 2:6, 3:7] = 1.0                                   # a box in the third chunk (chunks of 2)
    plain = stream_shot(model, x0, text, layout, lambda _: None, shared, d, False, 5, none)
    boxed = stream_shot(model, x0, text, layout, lambda _: None, shared, d, False, 5, late)
    assert torch.equal(plain, stream_shot(model, x0, text, layout, lambda _: None, shared, d, False, 5)), \
        "zeros are no box"
    assert torch.allclose(boxed[:, :4], plain[:, :4]) and not torch.allclose(boxed[:, 4:], plain[:, 4:], atol=1e-4)


def test_a_previous_frame_model_continues_each_chunk_from_the_frame_it_reads():
    """Chunk j > 0 reads the frame before it: a model whose previous-frame conv is zero streams as one without it,
    and once the conv is set, the first chunk is unchanged and the later ones change."""
    model, layout, x0, text, shared, d = tiny_unet(prev_frame_cond=True)
    reading = stream_shot(model, x0, text, layout, lambda _: None, shared, d, False, 5)
    with torch.no_grad():
        model.conv_encoder.prev_frame.weight.zero_()
    blind = stream_shot(model, x0, text, layout, lambda _: None, shared, d, False, 5)
    cf = model.cfg.chunk_frames
    assert torch.allclose(reading[:, :cf], blind[:, :cf]), "the first chunk continues nothing"
    assert not torch.allclose(reading[:, cf:], blind[:, cf:], atol=1e-4)
