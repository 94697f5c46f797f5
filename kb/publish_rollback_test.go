package kb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// rollbackIndex fails Upsert once armed, calling during first: the moment an
// Update has stored the article and not yet indexed it.
type rollbackIndex struct {
	*kb.MemoryIndex
	during func(uuid.UUID)
	armed  bool
}

func (f *rollbackIndex) Upsert(ctx context.Context, a *kb.Article) error {
	if f.armed {
		f.armed = false
		f.during(a.ID)
		return errors.New("index down")
	}
	return f.MemoryIndex.Upsert(ctx, a)
}

// An internal-to-public Update is stored before it is indexed; when indexing
// failed, the stored article was put back, but a customer's Read in between saw
// the internal text (and counted a view on it). Customer reads now wait for the
// write to finish and see only what it left.
func TestCustomerCannotReadAPublishThatIsRolledBack(t *testing.T) {
	ctx := context.Background()
	mi, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	idx := &rollbackIndex{MemoryIndex: mi}
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{Index: idx})
	require.NoError(t, err)
	a := &kb.Article{Slug: "runbook", Category: "ops", Visibility: kb.Internal, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Runbook", Body: "the root password"}}}
	require.NoError(t, k.Create(ctx, a))

	read := make(chan error, 1)
	idx.armed = true
	idx.during = func(id uuid.UUID) {
		go func() {
			_, err := k.Read(ctx, id, kb.Customer)
			read <- err
		}()
		select {
		case err := <-read:
			t.Errorf("a customer read finished during the write: %v", err)
			read <- err
		case <-time.After(50 * time.Millisecond):
		}
	}
	a.Visibility = kb.Public
	require.Error(t, k.Update(ctx, a))
	assert.ErrorIs(t, <-read, kb.ErrNotFound, "the publish was rolled back")
	cur, err := k.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, kb.Internal, cur.Visibility)
	assert.Zero(t, cur.Views)
}
