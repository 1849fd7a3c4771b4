"""`{% publicpagecache %}`: Wagtail's `{% wagtailpagecache %}` for anonymous visitors only.

Usage (same arguments as Wagtail's tag)::

    {% load page_cache %}
    {% publicpagecache 600 "taster-offer" seats_generation %}…{% endpublicpagecache %}

On top of Wagtail's tag (no cache in previews; keys vary on the page's `cache_key` and the site) it
- renders without any cache for logged-in visitors: they neither read nor write an entry, so nothing
  personal (their booking, a form with their CSRF token) is ever stored or shown to someone else;
- varies the key on the active language and on the page generation of cms/cache.py, which publishing,
  unpublishing, moving or deleting any page renews (see there for the purge rules).
A timeout of `None` uses `settings.CMS_PAGE_CACHE_SECONDS`.
"""

from django import template
from django.conf import settings
from django.template import Variable
from django.template.exceptions import TemplateSyntaxError
from django.utils import translation
from wagtail.templatetags.wagtail_cache import WagtailPageCacheNode

from cms.cache import pages_generation

register = template.Library()

LANGUAGE_VAR = "cms_page_cache_language"
GENERATION_VAR = "cms_page_cache_generation"
TIMEOUT_VAR = "cms_page_cache_seconds"


class PublicPageCacheNode(WagtailPageCacheNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.vary_on.extend([Variable(LANGUAGE_VAR), Variable(GENERATION_VAR)])

    def render(self, context):
        request = context.get("request")
        user = getattr(request, "user", None)
        if request is None or user is None or user.is_authenticated:
            return self.nodelist.render(context)
        values = {
            LANGUAGE_VAR: translation.get_language() or "",
            GENERATION_VAR: pages_generation(),
            TIMEOUT_VAR: settings.CMS_PAGE_CACHE_SECONDS,
        }
        with context.update(values):
            return super().render(context)


@register.tag("publicpagecache")
def do_public_page_cache(parser, token):
    # The argument handling of django.templatetags.cache.do_cache (as Wagtail's own tags do).
    nodelist = parser.parse(("endpublicpagecache",))
    parser.delete_first_token()
    tokens = token.split_contents()
    if len(tokens) < 3:
        raise TemplateSyntaxError(f"'{tokens[0]}' tag requires at least 2 arguments.")
    if len(tokens) > 3 and tokens[-1].startswith("using="):
        cache_name = parser.compile_filter(tokens[-1][len("using=") :])
        tokens = tokens[:-1]
    else:
        cache_name = None
    timeout = TIMEOUT_VAR if tokens[1] == "None" else tokens[1]
    return PublicPageCacheNode(
        nodelist,
        parser.compile_filter(timeout),
        tokens[2],
        [parser.compile_filter(t) for t in tokens[3:]],
        cache_name,
    )
