"""Scrapy settings for newsbot.

Every ``NEWSBOT_*`` setting is documented here once; components read them in
``from_crawler`` and keep the value below as their class default. Override any
of them with ``-s NAME=VALUE`` or in a project ``settings.py`` of your own.
"""

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.sources"]
NEWSPIDER_MODULE = "newsbot.sources"
# `scrapy crawl` checks settings and spider arguments before starting (newsbot/commands/crawl.py).
COMMANDS_MODULE = "newsbot.commands"

# --- newsbot ----------------------------------------------------------------
# Directory of the Jekyll site the posts go to (``_posts/`` and ``assets/`` inside); empty = ``output``.
NEWSBOT_OUTPUT = "output"
# SQLite file with what was seen and posted; empty = ``<NEWSBOT_OUTPUT>/.newsbot/state.sqlite3``.
NEWSBOT_STATE = ""
# ``download`` (store the lead image under assets/img/posts/), ``remote`` (link the
# source's image URL) or ``brand`` (always the brand image below).
NEWSBOT_IMAGE_MODE = "download"
# Where posts link their readers and what they call the site (seed post values).
NEWSBOT_BRAND = "koreablockchain"
NEWSBOT_SITE_URL = "https://newsdao.kr"
NEWSBOT_BRAND_IMAGE = "/assets/img/newsdao_breakingnews.jpg"
# Post templates; ``{brand}``, ``{site_url}``, ``{image}``, ``{source}``, ``{source_url}``
# and ``{title}`` are filled in (values are HTML-escaped where they land in HTML). None: in the
# post's language (newsbot/compose/texts.py: the seed's Korean for Korean posts, English for others).
NEWSBOT_FEATURE_HEADING = None
NEWSBOT_IMAGE_PARAGRAPH = None
NEWSBOT_ATTRIBUTION = None
NEWSBOT_FOOTER = None
# Appended to the excerpt of Korean posts (empty to leave it out).
NEWSBOT_SUMMARY_NOTE = "*이 요약문은 150자로 요약되었습니다."
# Longest excerpt, in characters (spaces included).
NEWSBOT_EXCERPT_LENGTH = 150
# Articles whose body is shorter than this many characters are dropped.
NEWSBOT_MIN_BODY_CHARS = 80
# Post body: "brief" (headline, summary, key sentences, link; copies at most a third of the article and
# never more than 600 characters), "full" (the whole article: only with a licence to republish it) or
# "rewrite" (a model's rewrite in the seed's shape, checked against the article; a brief when it fails).
NEWSBOT_BODY = "brief"
# Heading over the brief's key sentences, and of the rewrite's key-points table (None: in the post's language).
NEWSBOT_KEY_POINTS_HEADING = None
# rewrite: base URL of any OpenAI-compatible server (Ollama: http://localhost:11434/v1; empty: OpenAI's).
NEWSBOT_LLM_URL = ""
# rewrite: the model name the server knows (required for rewrite), e.g. "gpt-4o-mini" or "qwen2.5:7b".
NEWSBOT_LLM_MODEL = ""
# rewrite: API key; empty = the OPENAI_API_KEY environment variable. Never logged or written anywhere.
NEWSBOT_LLM_API_KEY = ""
# rewrite: seconds one model call may take before the post falls back to a brief.
NEWSBOT_LLM_TIMEOUT = 60.0
# rewrite: model calls in flight at once.
NEWSBOT_LLM_CONCURRENCY = 2
# rewrite: most model calls in one run (0 = no limit); later posts of the run are briefs.
NEWSBOT_LLM_MAX_PER_RUN = 100
# rewrite: language the rewritten posts are written in (posts from English wires come out in Korean).
NEWSBOT_POST_LANGUAGE = "ko"
# Zone of a date printed without offset (page or feed) when the source names none (Korean pages: Asia/Seoul).
NEWSBOT_DEFAULT_TIMEZONE = "UTC"
# The site's zone, as `timezone:` in its _config.yml: the day in a post's file name is the day there.
NEWSBOT_SITE_TIMEZONE = "Asia/Seoul"
# Skip articles published more than this many days ago (0 = no limit).
NEWSBOT_MAX_AGE_DAYS = 0
# Lock file that keeps two `newsbot crawl` runs from overlapping; empty = `<NEWSBOT_OUTPUT>/.newsbot/lock`.
NEWSBOT_LOCK = ""
# Sources `newsbot crawl` runs when none is named.
NEWSBOT_SOURCES = ["yonhap", "newsis"]
# Append the crawl log to this file (for cron); empty = standard error.
NEWSBOT_LOG_FILE = ""
# `newsbot crawl` first asks each feed of the last complete run "changed since?" and, when all
# answer 304, finishes without starting Scrapy (a poll that finds nothing costs ~0.3 s, not ~1.5 s).
NEWSBOT_QUICK_CHECK = True
# Worker processes for extraction and summaries (-1 = one per core, 0 = in the crawl process).
NEWSBOT_WORKERS = -1
# Deprecated, ignored: Korean summaries no longer need a tokenizer process of their own and run in
# the NEWSBOT_WORKERS processes like every other language. Kept so existing configurations still load.
NEWSBOT_SUMMARY_WORKERS = 1
# Redis for many workers on one crawl (redis://host:port/db); empty = SQLite and an in-memory queue.
NEWSBOT_REDIS_URL = ""
# With Redis: a worker stops once the shared queue and in-flight list stay empty this long.
NEWSBOT_REDIS_IDLE_SECONDS = 30
# Draw a live progress line when standard error is a terminal.
NEWSBOT_PROGRESS = True
# Days of run history kept in the state file for `newsbot report` / `newsbot status` (0 = forever).
NEWSBOT_HISTORY_DAYS = 90
# `newsbot crawl` rewrites this HTML page of the run history after each run (empty = never).
NEWSBOT_REPORT_HTML = ""
# After a run that wrote posts: `none`, `git` (commit the posts and images in NEWSBOT_OUTPUT's git
# work tree) or a command line run in NEWSBOT_OUTPUT with the files' paths on standard input.
NEWSBOT_PUBLISH = "none"
# With NEWSBOT_PUBLISH=git: push to this remote (empty = commit only) ...
NEWSBOT_PUBLISH_REMOTE = ""
# ... this branch of it (empty = the name of the branch checked out in NEWSBOT_OUTPUT).
NEWSBOT_PUBLISH_BRANCH = ""
# Seconds a publish command may run; then it and every process it started are killed and the
# run exits 1 (cron must never wait on a hung upload).
NEWSBOT_PUBLISH_TIMEOUT = 300
# Post only articles whose title or text matches one of these patterns (empty = every article),
# and none matching NEWSBOT_EXCLUDE. A pattern is a keyword (whole word at Latin letters, inside
# words for Hangul) or a /regular expression/, case-insensitive; a list, or text with commas
# between patterns. A spider's `include` / `exclude` attributes add patterns for its source.
NEWSBOT_INCLUDE = []
NEWSBOT_EXCLUDE = []
# Group the articles that report one story into one post (False: one post per article).
NEWSBOT_STORIES = True
# An article joins a story only when published within this many hours of the story's articles;
# a story no article joined for this long is closed (forgotten by the state).
NEWSBOT_STORY_WINDOW_HOURS = 48
# Lowest average cosine similarity (TF-IDF over words, names weighted up) between an article and
# a story's articles for it to join; higher = fewer wrong merges, more duplicates.
NEWSBOT_STORY_THRESHOLD = 0.34
# The same for the only open story published within a day of the article: on a quiet day an
# article likely belongs to the story there is, so it needs less text in common (at most the
# threshold above; a busy feed always has other stories near and uses the threshold above).
NEWSBOT_STORY_LONE_THRESHOLD = 0.30
# Contact URL put in the User-Agent so site owners can reach the operator.
NEWSBOT_CONTACT_URL = "https://github.com/newsbot/newsbot"
# Hosts that content may make newsbot reach although they are not public: host names
# (``intranet.example``), addresses (``10.0.0.5``) or networks (``10.0.0.0/8``). The hosts of a
# source's feed URLs are always trusted; everything else must resolve to a public address.
NEWSBOT_TRUSTED_HOSTS = []
# Images with more pixels than this are not decoded (a small file can declare 60000 x 60000).
NEWSBOT_IMAGE_MAX_PIXELS = 40_000_000

# --- politeness -------------------------------------------------------------
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "newsbot"
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "newsbot.middlewares.ContactUserAgentMiddleware": 500,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newsbot.middlewares.BoundedHttpCompressionMiddleware": 590,
    # Sees failed connections before RetryMiddleware (550) would retry a refused one.
    "newsbot.middlewares.PublicAddressMiddleware": 560,
    "newsbot.middlewares.UnreachableRobotsTxtMiddleware": 570,
    # Sees redirect responses just before Scrapy's RedirectMiddleware (600) does.
    "newsbot.middlewares.RedirectLoopMiddleware": 610,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsbot.middlewares.HeadMetaRefreshMiddleware": 580,
}
# A callback that finds the run cannot go on (Redis gone) stops the crawl with one line.
SPIDER_MIDDLEWARES = {"newsbot.middlewares.StopOnRunErrorMiddleware": 950}
# Refuses host names that resolve to non-public addresses, on the address connected to.
TWISTED_DNS_RESOLVER = "newsbot.network.PublicAddressResolver"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Items processed at once per response. An article page gives one item; Scrapy's default (100)
# starts 100 asyncio tasks for every response anyway, a fifth of the crawl process's CPU.
CONCURRENT_ITEMS = 1
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- pipeline ---------------------------------------------------------------
ITEM_PIPELINES = {
    "newsbot.pipelines.validate_article.ValidateArticlePipeline": 100,
    "newsbot.pipelines.normalize_fields.NormalizeFieldsPipeline": 200,
    "newsbot.pipelines.filter_articles.FilterArticlesPipeline": 220,
    "newsbot.pipelines.absolutize_urls.AbsolutizeUrlsPipeline": 250,
    "newsbot.pipelines.sanitize_body.SanitizeBodyPipeline": 300,
    "newsbot.pipelines.build_excerpt.BuildExcerptPipeline": 400,
    "newsbot.pipelines.download_image.DownloadImagePipeline": 500,
    "newsbot.pipelines.choose_image.ChooseImagePipeline": 550,
    "newsbot.pipelines.write_post.WritePostPipeline": 900,
}
EXTENSIONS = {
    # What the crawl shares: its state store and its worker process pools.
    "newsbot.state.extension.StateExtension": 100,
    "newsbot.runtime.workers.WorkerPools": 100,
    "newsbot.runtime.progress.ProgressLine": 500,
    "newsbot.runtime.distributed.RedisWorker": 600,
    "newsbot.runtime.publish.PublishJournal": 700,
    "newsbot.runtime.memory.CrawlProcessMemory": 800,
}
# A scheduled crawl opens no control ports: NoControlPortsAddon takes Scrapy's telnet console and
# remote control out of its extensions without importing them (the remote control imports aiohttp);
# NoCookiesMiddlewareAddon does the same for the cookies middleware while COOKIES_ENABLED is off.
ADDONS = {
    "newsbot.runtime.distributed.RedisAddon": 0,
    "newsbot.runtime.control.NoControlPortsAddon": 0,
    "newsbot.runtime.control.NoCookiesMiddlewareAddon": 0,
}
IMAGES_MIN_WIDTH = 200
IMAGES_MIN_HEIGHT = 120
IMAGES_EXPIRES = 3650

LOG_LEVEL = "INFO"
# A dropped or failed article is logged by its link, not printed whole (kilobytes a line).
LOG_FORMATTER = "newsbot.runtime.logformat.ArticleLogFormatter"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
